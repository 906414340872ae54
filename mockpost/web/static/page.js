"use strict";
(() => {
  const base = location.pathname.replace(/\/?$/, "/");
  const key = new URLSearchParams(location.search).get("api_key");
  const $ = (id) => document.getElementById(id);
  const calls = new Map();  // id -> summary, the newest MAX_KEPT
  const MAX_KEPT = 10000;  // summaries the page keeps (the log keeps its own number)
  const PAGE = 500;  // rows drawn at once: more on request, so 10,000 calls stay fast
  let filter = {};
  let selected = null;
  let lost = 0;
  let made = 0;  // calls made: the newest id seen
  let drawn = PAGE;  // how many matching rows the list draws
  let found = new Set();  // ids the server's search found (text in headers and bodies)
  let readOnly = true;  // until the settings say writes are allowed
  const bench = window.Workbench({ api: (p, q) => api(p, q), getJson: (p, q) => getJson(p, q),
                                   el: (t, x, c) => el(t, x, c) });
  let catalogue = null;  // the requests and folders an example can be saved into
  const requests = () => (catalogue = catalogue ||
    bench.catalogue().catch((e) => { catalogue = null; throw e; }));

  function api(path, params) {
    const url = new URL(base + path, location.href);
    for (const [k, v] of Object.entries(params || {})) url.searchParams.set(k, v);
    if (key) url.searchParams.set("api_key", key);
    return url.toString();
  }

  async function getJson(path, params) {
    const response = await fetch(api(path, params), { cache: "no-store" });
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return response.json();
  }

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function parseFilter(text) {
    const out = {};
    const free = [];
    for (const word of text.trim().split(/\s+/).filter(Boolean)) {
      const m = word.match(/^(method|path|status|example|matched):(.*)$/i);
      if (m && m[2]) out[m[1].toLowerCase()] = m[2];
      else free.push(word);
    }
    if (free.length) out.q = free.join(" ");
    return out;
  }

  function glob(pattern) {
    const parts = pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
    return new RegExp("^" + parts.join("[\\s\\S]*") + "$");
  }

  function matches(call) {
    const f = filter;
    if (f.method && call.method.toUpperCase() !== f.method.toUpperCase()) return false;
    if (f.path && !glob(f.path).test(call.path)) return false;
    if (f.status) {
      const s = f.status.toLowerCase();
      if (/^[1-5]xx$/.test(s)) { if (Math.floor(call.status / 100) !== Number(s[0])) return false; }
      else if (String(call.status) !== s) return false;
    }
    if (f.matched && String(call.matched) !== f.matched.toLowerCase()) return false;
    const name = call.example ? call.example.name.toLowerCase() : "";
    if (f.example && !name.includes(f.example.toLowerCase())) return false;
    if (f.q) {
      const hay = `${call.method} ${call.path} ${call.query} ${name}`.toLowerCase();
      if (!hay.includes(f.q.toLowerCase()) && !found.has(call.id)) return false;
    }
    return true;
  }

  function statusClass(call) {
    if (call.status === 0) return "s5";  // no answer at all: a broken connection
    return call.matched || call.how !== "not found" ? "s" + String(call.status)[0] : "unmatched";
  }

  function exampleText(call) {
    const name = call.example ? call.example.name : (call.how === "not found"
      ? "No matching requests" : call.how);
    if (!call.injected) return name;
    const instead = call.how === "injected" || call.how === "rate limited";
    return `injected ${call.injected}` + (call.example ? (instead ? " instead of " : " on ") + `'${call.example.name}'` : "");
  }

  // Times are shown one way everywhere: the browser's local time, to the millisecond (the
  // call's UTC time in its tooltip).
  function clock(iso) {
    const d = new Date(iso);
    const two = (n) => String(n).padStart(2, "0");
    return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, "0")}`;
  }

  function day(iso) {
    const d = new Date(iso);
    const two = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${clock(iso)}`;
  }

  function row(call) {
    const tr = el("tr", null, "call" + (call.matched ? "" : " unmatched-row"));
    tr.dataset.id = call.id;
    tr.tabIndex = -1;
    const time = el("td", clock(call.received), "time");
    time.title = call.received;
    const target = call.path + (call.query ? "?" + call.query : "");
    const path = el("td", target, "path");
    path.title = target;
    tr.append(
      time,
      el("td", call.method, "method"),
      path,
      el("td", call.status || "---", "status " + statusClass(call)),
      el("td", exampleText(call), "example" + (call.injected ? " injected" : "")),
      el("td", call.duration_ms.toFixed(1), "ms"),
    );
    if (selected === call.id) { tr.classList.add("selected"); tr.tabIndex = 0; }
    tr.addEventListener("click", () => show(call.id));
    return tr;
  }

  let matching = 0;  // calls kept that match the filter
  let serverMatching = 0;  // of them, those the log held at the last load (it keeps more)

  function count() {
    const rowsShown = $("calls").children.length;
    const more = matching - rowsShown;
    $("count").textContent = `${rowsShown} of ${made} calls` +
      (Object.keys(filter).length ? ` (${matching} match the filter)` : "");
    $("more").hidden = more <= 0;
    $("more").textContent = `Show ${Math.min(PAGE, more)} more (${more} not shown)`;
  }

  function render() {
    const body = $("calls");
    const shown = [...calls.values()].filter(matches).sort((a, b) => b.id - a.id);
    matching = Math.max(shown.length, serverMatching);
    body.replaceChildren(...shown.slice(0, drawn).map(row));
    $("empty").hidden = shown.length > 0;
    $("empty").textContent = calls.size ? "No call matches the filter." :
      "No calls yet: call the mock and they appear here.";
    if (!body.querySelector("tr[tabindex='0']") && body.firstChild) body.firstChild.tabIndex = 0;
    count();
  }

  function add(call) {
    calls.set(call.id, call);
    made = Math.max(made, call.id);
    if (calls.size > MAX_KEPT) calls.delete(calls.keys().next().value);
    if (!matches(call)) {
      if (filter.q) searchSoon();  // its headers or body may hold the text
      count();
      return;
    }
    matching += 1;
    serverMatching += 1;
    const body = $("calls");
    body.prepend(row(call));
    while (body.children.length > drawn) body.lastChild.remove();
    $("empty").hidden = true;
    count();
  }

  // The free text is searched by the server too, which has the headers and the bodies: a
  // quarter of a second after the last keystroke, or (for calls arriving) at most four
  // times a second however many come.
  let searchTimer = null;
  function searchSoon(typed) {
    if (searchTimer && !typed) return;
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => { searchTimer = null; load(); }, 250);
  }

  function pretty(text, headers) {
    const type = (headers.find(([n]) => n.toLowerCase() === "content-type") || [, ""])[1];
    if (/json/i.test(type) || /^\s*[[{]/.test(text)) {
      try { return JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* not JSON */ }
    }
    return text;
  }

  function headersTable(headers) {
    const table = el("table", null, "headers");
    for (const [name, value] of headers) {
      const tr = el("tr");
      tr.append(el("td", name), el("td", value));
      table.append(tr);
    }
    return table;
  }

  function bodyBlock(part) {
    if (!part.body) return el("p", "(no body)", "muted");
    const text = part.body_encoding === "base64" ? `(base64) ${part.body}` :
      pretty(part.body, part.headers);
    const pre = el("pre", text);
    if (part.body_truncated) pre.title = "clipped: the call log keeps 64 KiB of each body";
    return pre;
  }

  function quote(s) { return "'" + String(s).replace(/'/g, "'\\''") + "'"; }

  function curl(call) {
    const url = location.origin + call.path + (call.query ? "?" + call.query : "");
    const parts = ["curl", "-X", call.method, quote(url)];
    for (const [name, value] of call.request.headers) {
      if (!/^(host|content-length|connection)$/i.test(name)) parts.push("-H", quote(`${name}: ${value}`));
    }
    if (call.request.body && call.request.body_encoding === "utf-8") {
      parts.push("--data-binary", quote(call.request.body));
    }
    return parts.join(" ");
  }

  async function show(id) {
    selected = id;
    for (const tr of document.querySelectorAll("tr.call")) {
      tr.classList.toggle("selected", Number(tr.dataset.id) === id);
    }
    const detail = $("detail");
    let call;
    try { call = await getJson(`calls/${id}`); }
    catch (e) { detail.replaceChildren(el("div", "This call is no longer kept.", "empty")); return; }
    if (selected !== id) return;  // another call was chosen meanwhile
    const title = el("h2");
    title.append(el("span", `${call.method} ${call.path}${call.query ? "?" + call.query : ""} `),
                 el("span", call.status || "no answer", "status " + statusClass(call)));
    const parts = [title];
    if (call.injected) parts.push(el("p", `Injected by mockpost: ${call.injected}`, "injected"));
    const answered = call.example
      ? `Answered by '${call.example.name}' of '${call.example.request}'` +
        (call.example.file ? ` (${call.example.file})` : "") +
        (call.score !== null ? ` (score ${call.score}, ${call.path_step})` : ` (${call.how})`)
      : (call.how === "not found" ? "No matching requests" : `Answered: ${call.how}`);
    parts.push(el("p", `${answered} · ${day(call.received)} · ${call.duration_ms} ms` +
                       (call.delay_ms ? ` (delay ${call.delay_ms} ms)` : ""), "answered"));
    const moves = Object.entries(call.state || {});
    if (moves.length) {
      const said = moves.map(([name, [before, after]]) =>
        before === after ? `${name}: ${before}` : `${name}: ${before} → ${after}`);
      parts.push(el("p", `Session '${call.session}' · ${said.join(", ")}`, "state"));
    }
    if (call.explanation.length) {
      parts.push(el("h3", "Closest examples"));
      const list = el("ul", null, "closest");
      for (const c of call.explanation) {
        const li = el("li");
        li.append(el("span", `${c.method} ${c.path} '${c.example}' — `),
                  el("span", c.reason, "reason"));
        list.append(li);
      }
      parts.push(list);
    }
    for (const note of call.notes) parts.push(el("p", "Note: " + note, "note"));
    const again = el("button", "Send again");
    again.id = "send-again";
    again.addEventListener("click", () => replay(call));
    parts.push(again);
    if (!readOnly) {
      const place = el("div", null, "workbench");
      if (call.example) {
        const edit = el("button", "Edit the example that answered");
        edit.id = "edit-answering";
        edit.addEventListener("click", () => bench.editor(call.example.id, place, () => { catalogue = null; }));
        parts.push(edit);
      }
      parts.push(place);
      try { parts.push(bench.saveForm(call, await requests())); }
      catch (e) { parts.push(el("p", "The collection's requests cannot be read.", "muted")); }
      if (selected !== id) return;
    }
    const copy = el("button", "Copy as curl");
    copy.id = "copy-curl";
    copy.addEventListener("click", async () => {
      try { await navigator.clipboard.writeText(curl(call)); copy.textContent = "Copied"; }
      catch (e) { copy.textContent = "Select the command below"; }
    });
    parts.push(el("h3", "Request"), headersTable(call.request.headers), bodyBlock(call.request));
    parts.push(copy, el("pre", curl(call), "curl"));
    parts.push(el("h3", "Response"), headersTable(call.response.headers), bodyBlock(call.response));
    detail.replaceChildren(...parts);
    detail.dataset.id = id;
  }

  // The call sent again from the page, as it came (what a browser may not set left out):
  // it appears in the list as a new call.
  async function replay(call) {
    const headers = new Headers();
    for (const [name, value] of call.request.headers) {
      if (/^(host|content-length|connection|cookie|origin|referer|user-agent|accept-encoding|sec-|transfer-encoding|keep-alive)/i.test(name)) continue;
      try { headers.append(name, value); } catch (e) { /* a name the browser refuses */ }
    }
    const body = call.request.body && call.request.body_encoding === "utf-8" && !/^(GET|HEAD)$/i.test(call.method)
      ? call.request.body : undefined;
    await fetch(call.path + (call.query ? "?" + call.query : ""), { method: call.method, headers, body, cache: "no-store" });
  }

  let loads = 0;  // the newest load's number: an older one's answer comes too late
  async function load() {
    const mine = ++loads;
    const data = await getJson("calls", { ...filter, limit: PAGE });
    if (mine !== loads) return;
    if (filter.q) found = new Set(data.calls.map((c) => c.id));
    serverMatching = data.total;
    for (const call of data.calls) {
      calls.set(call.id, call);
      made = Math.max(made, call.id);
    }
    render();
  }

  function connect() {
    // From the newest call shown: a reconnecting browser says its last one itself.
    const newest = Math.max(0, ...calls.keys());
    const source = new EventSource(api("events", { after: String(newest) }));
    source.addEventListener("open", () => { $("live").textContent = "live"; });
    source.addEventListener("call", (event) => add(JSON.parse(event.data)));
    source.addEventListener("lost", (event) => {
      lost += JSON.parse(event.data).lost;
      $("lost").hidden = false;
      $("lost").textContent = `${lost} calls came while this page was away and are no longer kept.`;
    });
    source.addEventListener("reload", (event) => reloaded(JSON.parse(event.data)));
    source.addEventListener("error", () => { $("live").textContent = "reconnecting…"; });
  }

  const editorPlace = el("div", null, "workbench");  // kept across the view's redraws
  editorPlace.id = "editor";

  function routeMatches(route, e) {
    const f = filter;
    if (f.method && route.method.toUpperCase() !== f.method.toUpperCase()) return false;
    if (f.path && !glob(f.path).test(route.path)) return false;
    if (f.status && !(/^[1-5]xx$/i.test(f.status) ? String(e.code)[0] === f.status[0] : String(e.code) === f.status)) return false;
    if (f.example && !(e.name || "").toLowerCase().includes(f.example.toLowerCase())) return false;
    if (f.q && !`${route.method} ${route.path} ${e.name} ${e.request}`.toLowerCase().includes(f.q.toLowerCase())) return false;
    return true;
  }

  async function showRoutes() {
    const all = await getJson("routes");
    const routes = all.map((r) => ({ ...r, examples: r.examples.filter((e) => routeMatches(r, e)) }))
      .filter((r) => r.examples.length);
    const table = el("table");
    const head = el("tr");
    for (const h of ["method", "path", "examples (code, name, query)"]) head.append(el("th", h));
    table.append(head);
    for (const route of routes) {
      const tr = el("tr");
      const path = el("td", null, "path");
      for (const piece of route.path.split(/(\{\{[^{}]*\}\})/)) {
        path.append(el("span", piece, piece.startsWith("{{") ? "wildcard" : ""));
      }
      const examples = el("td");
      for (const e of route.examples) {
        const line = el("div");
        line.append(el("span", e.code + " ", "status s" + String(e.code)[0]),
                    el("span", e.name || "(no name)"));
        if (e.query.length) line.append(el("span", " ?" + e.query.map(([k, v]) => `${k}=${v}`).join("&"), "muted"));
        if (!readOnly) {
          const edit = el("button", "Edit", "edit");
          edit.dataset.id = e.id;
          edit.addEventListener("click", () => {
            bench.editor(e.id, editorPlace, () => { catalogue = null; showRoutes(); });
            editorPlace.scrollIntoView();
          });
          line.append(" ", edit);
        }
        examples.append(line);
      }
      tr.append(el("td", route.method), path, examples);
      table.append(tr);
    }
    const shown = el("p", `${routes.length} of ${all.length} routes` +
      (Object.keys(filter).length ? " match the filter" : ""), "muted");
    $("routes").replaceChildren(editorPlace, shown, table);
    const state = await getJson("state");
    const names = Object.keys(state.scenarios);
    if (!names.length) return;
    const view = el("table");
    view.id = "state";
    const top = el("tr");
    for (const h of ["session", ...names]) top.append(el("th", h));
    view.append(top);
    for (const [session, states] of Object.entries(state.sessions)) {
      const tr = el("tr");
      tr.append(el("td", session), ...names.map((name) => el("td", states[name] || "")));
      view.append(tr);
    }
    $("routes").append(el("h3", "State (scenarios by session)"), view);
  }

  function tab(which) {
    const routes = which === "routes";
    $("tab-calls").setAttribute("aria-selected", String(!routes));
    $("tab-routes").setAttribute("aria-selected", String(routes));
    $("list").hidden = routes;
    $("detail").hidden = routes;
    $("split").hidden = routes;
    $("routes").hidden = !routes;
    $("main").classList.toggle("single", routes);
    if (routes) showRoutes();
  }

  function updateHar() { $("har").href = api("calls.har", filter); }

  $("filter").addEventListener("input", () => {
    filter = parseFilter($("filter").value);
    drawn = PAGE;
    serverMatching = 0;  // until the server says
    if (!filter.q) found = new Set();
    updateHar();
    render();
    searchSoon(true);  // the server's log may hold older matching calls than the page has
    if ($("routes").hidden === false) showRoutes();
  });
  $("more").addEventListener("click", () => { drawn += PAGE; render(); });
  // Clear asks once: the first click says what it will do, a second within four seconds does it.
  let clearing = null;
  $("clear").addEventListener("click", async () => {
    if (!clearing) {
      $("clear").textContent = `Clear ${calls.size} calls?`;
      $("clear").classList.add("confirm");
      clearing = setTimeout(() => {
        clearing = null;
        $("clear").textContent = "Clear";
        $("clear").classList.remove("confirm");
      }, 4000);
      return;
    }
    clearTimeout(clearing);
    clearing = null;
    $("clear").textContent = "Clear";
    $("clear").classList.remove("confirm");
    await fetch(api("calls"), { method: "DELETE" });
    calls.clear();
    found = new Set();
    serverMatching = 0;
    selected = null;
    render();
    $("detail").replaceChildren(el("div", "Click a call to see it in full.", "empty"));
  });
  $("new-mock").addEventListener("click", async () => {
    tab("calls");
    selected = null;
    for (const tr of document.querySelectorAll("tr.call.selected")) tr.classList.remove("selected");
    $("detail").replaceChildren(bench.newMock(await requests()));
    $("detail").querySelector("input[name=path]").focus();
  });
  $("tab-calls").addEventListener("click", () => tab("calls"));
  $("tab-routes").addEventListener("click", () => tab("routes"));

  function showVersion(version, at) {
    $("version").textContent = at ? `version ${version} · reloaded ${clock(at)}` : "";
  }

  function reloaded(done) {
    const notice = $("reloaded");
    notice.hidden = false;
    notice.classList.toggle("failed", !done.ok);
    if (done.ok) {
      catalogue = null;
      const cause = done.cause ? `: ${done.cause}` : "";
      notice.textContent = `${clock(done.at)}: reloaded, version ${done.version} with ${done.examples} examples${cause}`;
      showVersion(done.version, done.at);
      getJson("health").then(showHealth);
    } else {
      notice.textContent = `${clock(done.at)}: not reloaded: ${done.error}; version ${done.version} keeps serving`;
    }
  }

  function showHealth(h) {
    $("collection").textContent = `${h.collection} · ${h.examples} examples`;
    showVersion(h.version, h.reloaded_at);
  }

  getJson("health").then(showHealth);
  // Writes are offered when the mock writes at all: not read-only, and serving a file or a
  // tree (not an API definition).
  Promise.all([getJson("settings"), requests()]).then(([s, c]) => {
    readOnly = s.read_only || !c.writable;
    $("new-mock").hidden = readOnly;
  });
  updateHar();
  // The keyboard: "/" to the filter, Escape out of it; in the list, the arrow keys (or j
  // and k) move to the next or previous call and show it, Home and End to the first and
  // last, Enter shows the call that has the focus.
  function step(to) {
    const list = [...$("calls").children];
    if (!list.length) return;
    const at = list.findIndex((tr) => Number(tr.dataset.id) === selected);
    const next = to === "first" ? 0 : to === "last" ? list.length - 1
      : Math.max(0, Math.min(list.length - 1, (at < 0 ? -1 : at) + to));
    const tr = list[next];
    for (const other of list) other.tabIndex = -1;
    tr.tabIndex = 0;
    tr.focus();
    show(Number(tr.dataset.id));
  }
  document.addEventListener("keydown", (event) => {
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName);
    if (event.key === "Escape" && event.target === $("filter")) { $("filter").blur(); return; }
    if (typing || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "/") { event.preventDefault(); $("filter").focus(); return; }
    if ($("list").hidden) return;
    const inList = event.target.closest && event.target.closest("#calls");
    const moves = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1, Home: "first", End: "last" };
    if (event.key in moves && (inList || event.target === document.body)) {
      event.preventDefault();
      step(moves[event.key]);
    } else if (event.key === "Enter" && inList) {
      event.preventDefault();
      show(Number(event.target.closest("tr").dataset.id));
    }
  });

  // The list and the details side by side, resized by dragging the line between them (or
  // with the arrow keys on it); the width is kept for the next visit.
  const split = $("split");
  function widen(px) {
    const width = Math.max(280, Math.min(window.innerWidth - 280, px));
    $("main").style.setProperty("--list", width + "px");
    try { localStorage.setItem("mockpost.list", String(width)); } catch (e) { /* private mode */ }
  }
  const kept = Number((() => { try { return localStorage.getItem("mockpost.list"); } catch (e) { return 0; } })());
  if (kept) widen(kept);
  split.addEventListener("pointerdown", (event) => {
    split.setPointerCapture(event.pointerId);
    const move = (e) => widen(e.clientX);
    split.addEventListener("pointermove", move);
    split.addEventListener("pointerup", () => split.removeEventListener("pointermove", move), { once: true });
  });
  split.addEventListener("keydown", (event) => {
    const by = { ArrowLeft: -40, ArrowRight: 40 }[event.key];
    if (by) { event.preventDefault(); widen($("list").getBoundingClientRect().width + by); }
  });

  load().finally(connect);  // the feed starts after the newest call loaded
})();
