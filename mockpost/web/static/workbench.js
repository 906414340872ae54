"use strict";
// The page as a workbench: a call saved as an example, an example edited, deleted or copied
// with another status, a new request from nothing ("New mock"). Every write goes through the
// API (docs/admin-api.md) into the collection file or tree the mock serves, which reloads.
window.Workbench = ({ api, getJson, el }) => {
  const JSON_TYPE = /[/+]json\b/i;

  async function send(method, path, fields, extra) {
    const init = { method, headers: { "Content-Type": "application/json", ...(extra || {}) } };
    if (fields !== undefined) init.body = JSON.stringify(fields);
    const response = await fetch(api(path), init);
    const text = await response.text();
    let answer = {};
    try { answer = text ? JSON.parse(text) : {}; } catch (e) { answer = { error: { message: text } }; }
    return { status: response.status, answer };
  }

  function field(label, input) {
    const l = el("label", label + " ");
    l.append(input);
    return l;
  }

  function input(name, value, type) {
    const node = el("input");
    node.name = name;
    node.value = value === undefined || value === null ? "" : String(value);
    if (type) node.type = type;
    return node;
  }

  function select(name, options, chosen) {
    const node = el("select");
    node.name = name;
    for (const [value, text] of options) {
      const option = el("option", text);
      option.value = value;
      node.append(option);
    }
    if (chosen !== undefined) node.value = chosen;
    return node;
  }

  // Headers as lines "Name: value", as a user types them.
  const headersText = (headers) => headers.map(([k, v]) => `${k}: ${v}`).join("\n");
  function headersOf(text) {
    const out = [];
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      const at = line.indexOf(":");
      if (at < 1) throw new Error(`"${line.trim()}" is not "Name: value"`);
      out.push([line.slice(0, at).trim(), line.slice(at + 1).trim()]);
    }
    return out;
  }

  // The body, checked as typed when the headers say JSON: the form says what is wrong and
  // cannot be saved until it is mended (or the Content-Type changed).
  function bodyEditor(value, headersBox) {
    const body = el("textarea");
    body.name = "body";
    body.rows = 8;
    body.value = value || "";
    body.spellcheck = false;
    const check = el("div", "", "check");
    const verdict = () => {
      let headers = [];
      try { headers = headersOf(headersBox.value); } catch (e) { /* said by the headers */ }
      const type = (headers.find(([n]) => n.toLowerCase() === "content-type") || [, ""])[1];
      if (!JSON_TYPE.test(type) || !body.value.trim()) return "";
      try { JSON.parse(body.value); return ""; } catch (e) { return `Not JSON: ${e.message}`; }
    };
    const update = () => { check.textContent = verdict(); body.classList.toggle("invalid", !!check.textContent); };
    body.addEventListener("input", update);
    headersBox.addEventListener("input", update);
    update();
    return { body, check, verdict };
  }

  // The headers typed, when the form can be saved; else null, and the form says why.
  function ready(headers, verdict, said) {
    let problem = verdict();
    let typed = null;
    if (!problem) {
      try { typed = headersOf(headers.value); } catch (e) { problem = "headers: " + e.message; }
    }
    if (problem) { said.className = "said error"; said.textContent = "Not saved: " + problem; }
    return typed;
  }

  // What a write says: saved, or why not; a conflict offers to reload the file (the form
  // keeps what was typed, so nothing is lost: reload, then save again).
  function sayOutcome(said, outcome, okText) {
    said.replaceChildren();
    const ok = outcome.status >= 200 && outcome.status < 300;
    said.className = "said " + (ok ? "ok" : "error");
    if (ok) { said.textContent = okText(outcome.answer); return true; }
    said.textContent = `Not saved: ${outcome.answer.error ? outcome.answer.error.message : outcome.status}`;
    if (outcome.status === 409) {
      const reload = el("button", "Reload the collection");
      reload.type = "button";
      reload.className = "reload";
      reload.addEventListener("click", async () => {
        const done = await send("POST", "reload");
        said.textContent = done.status === 200
          ? `Reloaded (version ${done.answer.version}): what you typed is kept, save again.`
          : `Not reloaded: ${done.answer.error.message}`;
      });
      said.append(" ", reload);
    }
    return false;
  }

  // Path segments that look like ids, offered as {{variables}} for a new request.
  function templated(path) {
    return path.split("/").map((part) => {
      if (/^\d+$/.test(part)) return "{{id}}";
      if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(part)) return "{{uuid}}";
      if (/^(?=.*\d)[A-Za-z0-9_-]{16,}$/.test(part)) return "{{id}}";
      return part;
    }).join("/");
  }

  // The request closest to a call: the same method first, then the most path segments in
  // common (a variable segment matches any); none when no segment is shared.
  function closest(requests, method, path) {
    const want = path.split("/").filter(Boolean);
    let best = null;
    let bestScore = 0;
    for (const r of requests) {
      const raw = r.url.replace(/^[a-z]+:\/\/[^/]*/i, "").replace(/^\{\{[^}]*\}\}/, "").split("?")[0];
      const have = raw.split("/").filter(Boolean);
      let same = 0;
      for (let i = 0; i < Math.min(want.length, have.length); i++) {
        if (have[i] === want[i] || /^(\{\{.*\}\}|:.+)$/.test(have[i])) same += 1; else break;
      }
      if (!same) continue;
      const score = same * 4 + (have.length === want.length ? 2 : 0) + (r.method === method ? 1 : 0);
      if (score > bestScore) { best = r; bestScore = score; }
    }
    return best;
  }

  // "Save as example", in a call's details: into the request proposed (the one whose example
  // answered, else the closest), another, or a new request in a folder.
  function saveForm(call, catalogue) {
    const form = el("form", null, "save");
    form.id = "save-example";
    const missed = call.status === 404 && !call.matched;
    const answered = call.example && catalogue.requests.find((r) => r.name === call.example.request);
    const proposed = answered || closest(catalogue.requests, call.method, call.path);
    const request = select("request", [["", "New request…"],
      ...catalogue.requests.map((r) => [r.where, `${r.method} ${r.url} — ${r.name}`])],
      proposed ? proposed.where : "");
    const method = input("method", call.method);
    const path = input("path", templated(call.path) + (call.query ? "?" + call.query : ""));
    const folder = select("folder", [["$", "(top level)"], ...catalogue.folders.map((f) => [f.where, f.name])]);
    const fresh = el("div", null, "fresh");
    fresh.append(field("Method", method), field("Path", path), field("Folder", folder));
    const name = input("name", call.example ? call.example.name + " (saved)" : "Saved from a call");
    const code = input("code", missed ? 200 : call.status, "number");
    const headers = el("textarea");
    headers.name = "headers";
    headers.rows = 3;
    const kept = call.response.headers.filter(([n]) => !/^(content-length|date|server|connection|transfer-encoding|x-mock)/i.test(n));
    headers.value = missed || !kept.length ? "Content-Type: application/json" : headersText(kept);
    const answer = missed ? "{}" : (call.response.body_encoding === "utf-8" ? call.response.body : "");
    const { body, check, verdict } = bodyEditor(answer, headers);
    const said = el("div", "", "said");
    const save = el("button", "Save as example");
    save.type = "submit";
    const showFresh = () => { fresh.hidden = request.value !== ""; };
    request.addEventListener("change", showFresh);
    showFresh();
    const matching = el("p", call.request.body && !call.request.body_truncated
      ? "Saved for the call's method, path and query, with its Content-Type and body: the same call prefers it."
      : "Saved for the call's method, path and query: the same call, sent again, gets it.", "muted");
    form.append(el("h3", "Save as example"), matching, field("Request", request), fresh, field("Name", name),
                field("Status", code), field("Headers", headers), field("Body", body), check, save, said);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const typed = ready(headers, verdict, said);
      if (!typed) return;
      const outcome = request.value
        ? await send("POST", "examples", { call: call.id, request: request.value, name: name.value,
                                           code: Number(code.value), headers: typed, body: body.value })
        : await send("POST", "requests", { call: call.id, method: method.value, path: path.value, folder: folder.value,
                                           example: name.value, code: Number(code.value), headers: typed,
                                           body: body.value });
      sayOutcome(said, outcome, (a) => `Saved into the collection (version ${a.version}).`);
    });
    return form;
  }

  // An example as served, to edit, delete, or copy with another status.
  async function editor(id, place, done) {
    let shown;
    try { shown = await getJson(`examples/${encodeURIComponent(id)}`); }
    catch (e) { place.replaceChildren(el("p", "This example is no longer served.", "muted")); return; }
    const form = el("form", null, "save edit");
    form.id = "edit-example";
    const title = el("h3", `Example '${shown.name}' of '${shown.request}'`);
    const route = el("p", `${shown.method} ${shown.path}`, "muted");
    form.append(title, route);
    if (!shown.in_file || shown.binary) {
      form.append(el("p", shown.binary ? "Its body is binary: it is not edited here."
                                       : "It is not in the collection file (recorded while serving).", "muted"));
      place.replaceChildren(form);
      return;
    }
    const name = input("name", shown.name);
    const code = input("code", shown.code, "number");
    const headers = el("textarea");
    headers.name = "headers";
    headers.rows = 3;
    headers.value = headersText(shown.headers);
    const { body, check, verdict } = bodyEditor(shown.body, headers);
    const said = el("div", "", "said");
    const save = el("button", "Save changes");
    save.type = "submit";
    const remove = el("button", "Delete");
    remove.type = "button";
    remove.className = "delete";
    const copyCode = input("copy-code", shown.code >= 400 ? 500 : 404, "number");
    const copy = el("button", "Duplicate with status");
    copy.type = "button";
    copy.className = "duplicate";
    const copying = el("span", null, "copying");
    copying.append(copy, " ", copyCode);
    form.replaceChildren(title, route, field("Name", name), field("Status", code),
                field("Headers", headers), field("Body", body), check, save, " ", remove, " ", copying, said);
    const fields = () => {
      if (verdict()) throw new Error(verdict());
      return { name: name.value, code: Number(code.value), headers: headersOf(headers.value), body: body.value };
    };
    // Each write says which content it read (If-Match): an example named by its place may
    // have been removed meanwhile and its place given to the next one.
    let etag = shown.etag;
    const run = async (method, path, payload, okText) => {
      let given;
      try { given = payload(); } catch (e) { said.className = "said error"; said.textContent = "Not saved: " + e.message; return; }
      const outcome = await send(method, path, given, { "If-Match": `"${etag}"` });
      if (outcome.status === 200 && outcome.answer.etag) etag = outcome.answer.etag;
      const ok = sayOutcome(said, outcome, okText);
      if (outcome.status === 412) {
        const again = el("button", "Open it again");
        again.type = "button";
        again.className = "reopen";
        again.addEventListener("click", () => editor(id, place, done));
        said.append(" ", again);
      }
      if (ok && done) done(method);
    };
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      run("PUT", `examples/${encodeURIComponent(id)}`, fields, () => "Saved into the collection.");
    });
    let armed = null;  // Delete asks once: a second click within four seconds deletes
    remove.addEventListener("click", () => {
      if (!armed) {
        remove.textContent = "Really delete?";
        armed = setTimeout(() => { armed = null; remove.textContent = "Delete"; }, 4000);
        return;
      }
      clearTimeout(armed);
      armed = null;
      run("DELETE", `examples/${encodeURIComponent(id)}`, () => undefined, () => "Deleted from the collection.");
    });
    copy.addEventListener("click", () => run("POST", "examples", () => {
      const given = fields();
      return { copy: id, code: Number(copyCode.value), headers: given.headers, body: given.body,
               name: `${given.name} (${copyCode.value})` };
    }, () => `Copied with status ${copyCode.value}.`));
    place.replaceChildren(form);
  }

  // Postman's "New mock": a method, a path, a status and a body, as a new request.
  function newMock(catalogue) {
    const form = el("form", null, "save");
    form.id = "new-mock-form";
    const method = select("method", ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"].map((m) => [m, m]));
    const path = input("path", "/");
    const folder = select("folder", [["$", "(top level)"], ...catalogue.folders.map((f) => [f.where, f.name])]);
    const name = input("name", "");
    name.placeholder = "METHOD /path";
    const code = input("code", 200, "number");
    const headers = el("textarea");
    headers.name = "headers";
    headers.rows = 2;
    headers.value = "Content-Type: application/json";
    const { body, check, verdict } = bodyEditor("{}", headers);
    const said = el("div", "", "said");
    const save = el("button", "Create");
    save.type = "submit";
    form.append(el("h3", "New mock"), field("Method", method), field("Path", path), field("Folder", folder),
                field("Request name", name), field("Status", code), field("Headers", headers),
                field("Body", body), check, save, said);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const typed = ready(headers, verdict, said);
      if (!typed) return;
      const outcome = await send("POST", "requests", {
        method: method.value, path: path.value, folder: folder.value, name: name.value || undefined,
        code: Number(code.value), headers: typed, body: body.value });
      sayOutcome(said, outcome, (a) => `Created '${a.request.name}' (version ${a.version}).`);
    });
    return form;
  }

  return { saveForm, editor, newMock, catalogue: () => getJson("requests") };
};
