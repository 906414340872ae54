"""Which example answers a call: Postman's matching, and the state a collection keeps.

A collection with scenario tags or `[in-turn]`/`[random]` requests (`state/tags.py`) is
matched with its session's scenario states (an example of another state is no candidate) and
its chooser (the best examples in turn, or at random); the example that answers moves its
scenario. A collection without them is matched exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from mockpost.calls.call import Call
from mockpost.calls.record import How
from mockpost.matching.compile import IndexedExample
from mockpost.matching.evaluate import Chooser
from mockpost.matching.index import Index
from mockpost.matching.match import Decision, match
from mockpost.matching.options import MatchOptions
from mockpost.responses.answer import not_found_reply
from mockpost.responses.reply import Reply
from mockpost.state.crud import Items, Outcome, Resource, enveloped, handle
from mockpost.state.store import StateStore, session_of


def decided(
    index: Index, options: MatchOptions, call: Call, store: StateStore, stateful: bool
) -> Decision:
    """The decision for a call; with state, its session and what it did to a scenario."""
    if not stateful and "x-mockpost-mode" not in call.headers:
        return _matched(index, options, call)
    session = session_of(call.headers)
    states = store.states(session)

    def chooser(mode: str, examples: tuple[IndexedExample, ...]) -> int:
        return store.choose(session, mode, [e.position for e in examples])

    decision = _matched(index, options, call, states, chooser)
    decision.session = session
    tag = decision.example.tag if decision.example is not None else None
    if tag is not None:
        before, after = store.move(session, tag.scenario, tag.next)
        decision.state = ((tag.scenario, before, after),)
        if before != after:
            decision.notes += (f"scenario {tag.scenario}: {before} -> {after}",)
    return decision


def _matched(
    index: Index,
    options: MatchOptions,
    call: Call,
    states: Mapping[str, str] | None = None,
    chooser: Chooser | None = None,
) -> Decision:
    """Postman's matching; a HEAD call that no HEAD example answers is matched as a GET (its
    answer goes without a body, as HTTP says)."""
    decision = match(index, call, options, states, chooser)
    if decision.example is None and call.method == "HEAD":
        as_get = match(index, replace(call, method="GET"), options, states, chooser)
        if as_get.example is not None:
            as_get.notes += ("no HEAD example: answered as a GET, without its body",)
            return as_get
    return decision


DEFAULT_STATUS = {"GET": 200, "POST": 201, "PUT": 200, "PATCH": 200, "DELETE": 204}


def stored(
    resources: tuple[Resource, ...], store: StateStore, call: Call, decision: Decision, reply: Reply
) -> Reply:
    """A call to a CRUD resource, answered from its store: the status, headers and envelope
    of the example matching chose (if it is one of the resource's), the stored data in it."""
    for resource in resources:
        target = resource.id_of(call.path)
        if target is None:
            continue
        session = decision.session or session_of(call.headers)
        change = _change(resource, call, target)
        outcome = store.crud(session, resource, change)
        if outcome is None:
            return reply  # a method the resource does not take: the example answers
        said = f"{resource.prefix}: {call.method} {'the list' if target is True else target}"
        if not outcome.found:
            return replace(
                not_found_reply(decision, reply.delay_ms),
                notes=(*reply.notes, f"{said}: no such item"),
                session=session,
            )
        by_example = reply.how.by_example and decision.example is not None
        ok = by_example and reply.status < 400 and 200 <= outcome.status < 300
        status = reply.status if ok else DEFAULT_STATUS.get(call.method, outcome.status)
        status = outcome.status if outcome.status >= 400 else status
        saved = reply.body.decode("utf-8", "replace") if ok else ""
        headers = [(k, v) for k, v in reply.headers if ok and k.lower() != "content-type"]
        body = b""
        if outcome.body is not None and status != 204:
            text = enveloped(saved, outcome.body, outcome.total, resource.id_field)
            body = text.encode()
            headers.append(("Content-Type", "application/json"))
        if outcome.total is not None:
            headers.append(("X-Total-Count", str(outcome.total)))
        return replace(
            reply,
            status=status,
            reason=reply.reason if ok else None,
            headers=tuple(headers),
            body=body,
            how=How.CRUD,
            notes=(*reply.notes, f"stored in {said}"),
            session=session,
            final=False,
        )
    return reply


def _change(
    resource: Resource, call: Call, target: str | bool
) -> Callable[[Items], Outcome | None]:
    query = dict(call.query)
    return lambda items: handle(resource, items, call.method, target, query, call.body)
