"use strict";
(() => {
  const base = location.pathname.replace(/\/?$/, "/");
  const key = new URLSearchParams(location.search).get("api_key");
  const $ = (id) => document.getElementById(id);
  const calls = new Map();  // id -> summary
  let filter = {};
  let selected = null;
  let lost = 0;
  let readOnly = true;  // until the settings say writes are allowed

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
      if (!hay.includes(f.q.toLowerCase())) return false;
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

  function row(call) {
    const tr = el("tr", null, "call" + (call.matched ? "" : " unmatched-row"));
    tr.dataset.id = call.id;
    tr.append(
      el("td", call.received.slice(11, 23), "time"),
      el("td", call.method, "method"),
      el("td", call.path + (call.query ? "?" + call.query : ""), "path"),
      el("td", call.status || "---", "status " + statusClass(call)),
      el("td", exampleText(call), "example" + (call.injected ? " injected" : "")),
      el("td", call.duration_ms.toFixed(1), "ms"),
    );
    if (selected === call.id) tr.classList.add("selected");
    tr.addEventListener("click", () => show(call.id));
    return tr;
  }

  function render() {
    const body = $("calls");
    body.replaceChildren();
    const shown = [...calls.values()].filter(matches).sort((a, b) => b.id - a.id);
    for (const call of shown) body.append(row(call));
    $("empty").hidden = shown.length > 0;
    $("empty").textContent = calls.size ? "No call matches the filter." :
      "No calls yet: call the mock and they appear here.";
  }

  function add(call) {
    calls.set(call.id, call);
    if (!matches(call)) return;
    $("calls").prepend(row(call));
    $("empty").hidden = true;
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
    parts.push(el("p", `${answered} · ${call.received} · ${call.duration_ms} ms` +
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
    if (!readOnly) parts.push(saveForm(call));
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

  // "Save as example": the call's answer (or an empty JSON body for a 404) written into the
  // collection file, as an example of the request that answered it or the one named.
  function saveForm(call) {
    const form = el("form", null, "save");
    form.id = "save-example";
    const field = (label, input) => { const l = el("label", label + " "); l.append(input); return l; };
    const request = el("input"); request.name = "request"; request.value = call.example ? call.example.request : "";
    const name = el("input"); name.name = "name"; name.value = call.example ? call.example.name + " (saved)" : "Saved from a call";
    const code = el("input"); code.name = "code"; code.type = "number"; code.value = call.status === 404 && !call.matched ? 200 : call.status;
    const body = el("textarea"); body.name = "body"; body.rows = 6;
    body.value = call.status === 404 && !call.matched ? "{}" : (call.response.body_encoding === "utf-8" ? call.response.body : "");
    const said = el("span", "", "said");
    const save = el("button", "Save as example");
    save.type = "submit";
    form.append(el("h3", "Save as example"), field("Request", request), field("Name", name),
                field("Status", code), field("Body", body), save, said);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const fields = { call: call.id, request: request.value || undefined, name: name.value,
                       code: Number(code.value), body: body.value };
      if (call.status === 404 && !call.matched) fields.headers = [["Content-Type", "application/json"]];
      const response = await fetch(api("examples"), {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(fields),
      });
      const answer = await response.json();
      said.textContent = response.status === 201
        ? ` Saved into the collection (version ${answer.version}).`
        : ` Not saved: ${answer.error.message}`;
      said.className = response.status === 201 ? "said ok" : "said error";
    });
    return form;
  }

  async function load() {
    const data = await getJson("calls", { ...filter, limit: 500 });
    for (const call of data.calls) calls.set(call.id, call);
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

  async function showRoutes() {
    const routes = await getJson("routes");
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
        examples.append(line);
      }
      tr.append(el("td", route.method), path, examples);
      table.append(tr);
    }
    $("routes").replaceChildren(table);
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
    $("routes").hidden = !routes;
    $("main").classList.toggle("single", routes);
    if (routes) showRoutes();
  }

  function updateHar() { $("har").href = api("calls.har", filter); }

  $("filter").addEventListener("input", () => {
    filter = parseFilter($("filter").value);
    updateHar();
    render();
  });
  $("clear").addEventListener("click", async () => {
    await fetch(api("calls"), { method: "DELETE" });
    calls.clear();
    selected = null;
    render();
    $("detail").replaceChildren(el("div", "Click a call to see it in full.", "empty"));
  });
  $("tab-calls").addEventListener("click", () => tab("calls"));
  $("tab-routes").addEventListener("click", () => tab("routes"));

  function showVersion(version, at) {
    $("version").textContent = at ? `version ${version} · reloaded ${clock(at)}` : "";
  }

  function clock(iso) { return new Date(iso).toLocaleTimeString(); }

  function reloaded(done) {
    const notice = $("reloaded");
    notice.hidden = false;
    notice.classList.toggle("failed", !done.ok);
    if (done.ok) {
      notice.textContent = `${clock(done.at)}: reloaded, version ${done.version} with ${done.examples} examples`;
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
  getJson("settings").then((s) => { readOnly = s.read_only; });
  updateHar();
  load().finally(connect);  // the feed starts after the newest call loaded
})();
