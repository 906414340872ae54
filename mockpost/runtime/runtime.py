"""The runtime: what a running mock holds, and the one operation that answers a call.

For each call, in order: a CORS preflight (never needs the key) -> the private-mode key ->
the rate limit -> the active server response -> Postman's matching -> the example, or the
not-found body -> an injected error or broken connection (`faults/`). The delay to wait is
part of the reply; the web layer waits it out and sends (or breaks the connection).

What the runtime holds (index, settings, prepared responses) is replaced whole by `swap`,
never patched, and the cache of repeated calls is emptied with it: no answer outlives the
index or settings that produced it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import cast

from mockpost.calls.arrival import Arrival
from mockpost.calls.call import Call
from mockpost.calls.record import CallRecord, clip
from mockpost.calls.store import CallStore, size_of
from mockpost.faults import inject
from mockpost.faults.headers import NOTHING, Asked, asks, read_asked
from mockpost.faults.inject import Injector
from mockpost.matching.directives import has_directives
from mockpost.matching.index import Index
from mockpost.matching.match import Decision, match, methods_for_path
from mockpost.responses import answer
from mockpost.responses.cors import with_cors
from mockpost.responses.dynamic import DynamicValues
from mockpost.responses.prepare import Responses
from mockpost.responses.reply import Reply
from mockpost.runtime import validation
from mockpost.runtime.cache import Key, ReplyCache
from mockpost.runtime.deciding import decided, stored
from mockpost.runtime.headers import directive_or_origin, key_matches, redacted
from mockpost.runtime.seeds import CallSeeds
from mockpost.runtime.settings import Settings
from mockpost.runtime.state import State, state_of
from mockpost.state.store import StateStore

log = logging.getLogger("mockpost.runtime")


def is_preflight(call: Call) -> bool:
    headers = call.headers
    return (
        call.method == "OPTIONS"
        and "origin" in headers
        and "access-control-request-method" in headers
    )


def is_plain(method: str, has_body: bool, headers: Mapping[str, str]) -> bool:
    """No body, no `x-mock-*` or `x-mockpost-*` header, no OPTIONS: method, path and query
    decide its answer."""
    return (
        not has_body and method != "OPTIONS" and not has_directives(headers) and not asks(headers)
    )


class Runtime:
    """A running mock: answers calls, records them, and takes a new index or settings."""

    def __init__(
        self,
        index: Index,
        settings: Settings | None = None,
        store: CallStore | None = None,
        *,
        cache: ReplyCache | None = None,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        settings = settings if settings is not None else Settings()
        self.started_with = settings  # what `reset` goes back to
        self.state = state_of(index, settings, Responses(index))
        self.states = StateStore(index.scenarios, settings.seed)  # scenarios and turns
        self.store = store if store is not None else CallStore()
        self.cache = cache if cache is not None else ReplyCache()
        self.clock = clock
        self.dynamic = DynamicValues(settings.seed, settings.locale, clock)
        self.dynamic.warm_up(self.state.responses.dynamic_names())
        self.seeds = CallSeeds(settings.seed) if settings.seed is not None else None
        self.injector = Injector(settings.seed, monotonic)  # delays, faults, the rate limit

    # -- changing what answers ------------------------------------------------------------

    def swap(self, index: Index | None = None, settings: Settings | None = None) -> None:
        """Answer the next calls with this index and/or these settings, all at once."""
        old = self.state
        index = index if index is not None else old.index
        responses = old.responses if index is old.index else Responses(index)
        settings = settings if settings is not None else old.settings
        self.state = state_of(index, settings, responses)
        self.cache.clear()
        if index is not old.index:
            self.dynamic.warm_up(responses.dynamic_names())
            self.states.rebase(index.scenarios)

    def reset(self) -> None:
        """The settings of start-up again, and an empty call log."""
        self.swap(settings=self.started_with)
        self.store.clear()
        self.states.reset()
        if self.seeds is not None:
            self.seeds.clear()  # the values of a fresh start, too
        self.injector.reset()

    # -- answering ------------------------------------------------------------------------

    def kept(self, arrival: Arrival) -> Reply | None:
        """The complete reply kept for a plain call's repeats, if there is one: what the web
        layer asks before it reads the body or builds a `Call`."""
        if arrival.has_body or arrival.method == "OPTIONS" or directive_or_origin(arrival.headers):
            return None  # not plain (see `is_plain`), or from a browser (CORS per origin)
        found = self.cache.get(arrival.key)
        return found if type(found) is Reply else None

    def answer(self, call: Call) -> Reply:
        """What to send back for a call (no waiting, no I/O); never raises."""
        state = self.state
        origin = call.headers.get("origin")
        keep_cors = state.settings.keep_cors_headers
        try:
            plain = is_plain(call.method, bool(call.body), call.headers)
            key = call.key if plain and state.keeps_decisions else None
            asked = NOTHING if plain else read_asked(call.headers)  # plain: no x-mockpost-*
            reply = with_cors(self._answer(state, call, key, asked), origin, keep_cors)
            if (
                key is not None
                and origin is None  # kept replies allow any origin: the fast path skips Origin
                and reply.final
                and state.keeps_replies
                and self.state is state
            ):
                self.cache.put(key, reply)
            return reply
        except Exception as exc:  # a bug must not cost the call its answer or its record
            log.exception("failed to answer %s %s", call.method, call.path)
            return with_cors(answer.internal_error_reply(exc), origin)

    def _answer(self, state: State, call: Call, key: Key | None, asked: Asked) -> Reply:
        settings = state.settings
        if is_preflight(call):
            return self._preflight(state, call)
        key_given = call.headers.get("x-api-key", "")
        if settings.api_key is not None and not key_matches(key_given, settings.api_key):
            return answer.unauthorized_reply()
        checker = state.index.collection.checker
        if checker is None or settings.validate == "off":
            return self._faulted(state, call, key, asked)
        violations = cast(validation.Checker, checker).check(call)
        if not violations:
            return self._faulted(state, call, key, asked)
        if settings.validate == "enforce" and any(v.severity == "error" for v in violations):
            return self._refused(state, call, violations, asked)
        return validation.noted(self._faulted(state, call, key, asked), violations)

    def _faulted(self, state: State, call: Call, key: Key | None, asked: Asked) -> Reply:
        """The answer, with an error or a fault injected where the settings or call ask."""
        settings = state.settings
        faults = settings.faults
        if not faults.active and asked is NOTHING:
            return self._usual(state, call, key, asked)
        verdict = None
        if faults.rate_limit is not None:
            verdict = self.injector.limit(faults.rate_limit, call)
            if not verdict.allowed:
                delay = self._delay(settings, asked, None)
                return inject.rate_limited(verdict, faults.rate_limit, delay)
        reply = self.injector.inject(self._usual(state, call, key, asked), faults, asked)
        return inject.with_headers(reply, verdict.headers) if verdict is not None else reply

    def _usual(self, state: State, call: Call, key: Key | None, asked: Asked) -> Reply:
        """The answer with no fault injected: the server response, or matching's."""
        settings = state.settings
        if settings.server_response is not None:
            sr = settings.server_response
            delay = self._delay(settings, asked, None)
            return answer.server_response_reply(sr.code, sr.body, sr.headers, delay)
        decision = self._decide(state, call, key)
        delay = self._delay(settings, asked, decision.directives.delay_ms)
        reply = self._reply(state, call, decision, delay)
        if state.resources:
            reply = stored(state.resources, self.states, call, decision, reply)
        if not decision.session:
            return reply  # a collection with state: whose the call is, and what it did
        return replace(reply, session=decision.session, state=decision.state, final=False)

    def _matched(self, state: State, call: Call) -> Decision:
        return decided(state.index, state.settings.match, call, self.states, state.stateful)

    def _refused(
        self, state: State, call: Call, violations: tuple[validation.Violation, ...], asked: Asked
    ) -> Reply:
        """`enforce`: the operation's 401 (no credential), else 422 or 400, else a problem."""
        codes = ("401",) if any(v.unauthorized for v in violations) else ("422", "400")
        delay = self._delay(state.settings, asked, None)
        for code in codes:
            asking = replace(call, headers={**call.headers, "x-mock-response-code": code})
            decision = self._matched(state, asking)
            if decision.example is not None:
                return validation.refused(self._reply(state, asking, decision, delay), violations)
        return replace(validation.problem(call, violations), delay_ms=delay)

    def _delay(self, settings: Settings, asked: Asked, directive_ms: int | None) -> int:
        """The call's own x-mockpost-delay, else its x-mock-response-delay, else the server's."""
        if asked.latency is not None:
            return self.injector.delay(asked.latency)
        if directive_ms is not None:
            return directive_ms
        return self.injector.delay(settings.delay)

    def _decide(self, state: State, call: Call, key: Key | None) -> Decision:
        if key is None:
            return self._matched(state, call)
        found = self.cache.get(key)
        if isinstance(found, Decision):
            return found
        decision = self._matched(state, call)
        if found is None and self.state is state:  # a kept reply stays kept
            self.cache.put(key, decision)  # replaced by the reply when that can be kept
        return decision

    def _reply(self, state: State, call: Call, decision: Decision, delay_ms: int) -> Reply:
        if decision.example is None:
            return answer.not_found_reply(decision, delay_ms)
        fresh = decision.directives.dynamic
        fresh = state.settings.dynamic if fresh is None else fresh
        response = state.responses.of(decision.example, fresh)
        if self.seeds is not None and response.dynamic_names:
            self.dynamic.reseed(self.seeds.of(call))
        keep_cors = state.settings.keep_cors_headers
        return answer.example_reply(decision, response, call, self.dynamic, delay_ms, keep_cors)

    def _preflight(self, state: State, call: Call) -> Reply:
        """An OPTIONS example answers a preflight, else mockpost's own 204 (never needs the
        key, and never shows an OPTIONS example's data without it)."""
        settings = state.settings
        if settings.api_key is None or key_matches(
            call.headers.get("x-api-key", ""), settings.api_key
        ):
            decision = match(state.index, call, settings.match)
            if decision.example is not None:
                return self._reply(state, call, decision, self.injector.delay(settings.delay))
        methods = methods_for_path(state.index, call.path, settings.match.fuzzy)
        return answer.preflight_reply(
            methods,
            call.headers.get("access-control-request-headers"),
            call.headers.get("access-control-request-method"),
        )

    # -- recording ------------------------------------------------------------------------

    def record(self, arrival: Arrival, reply: Reply, duration_ms: float) -> CallRecord:
        """Keep the record of a call (its headers as the bytes that came, every one in order)."""
        body, path, query, headers = arrival.body, arrival.path, arrival.query, arrival.headers
        kept_body, truncated = clip(body) if body else (body, False)
        if self.state.settings.api_key is not None:
            headers = redacted(headers)
        record = CallRecord(
            self.store.next_id(),
            arrival.received,
            arrival.method,
            path,
            query,
            headers,
            kept_body,
            truncated,
            reply.status,
            reply.headers,
            reply.logged_body,
            reply.logged_truncated,
            reply.how,
            reply.example,
            reply.score,
            reply.path_step,
            reply.explanation,
            reply.notes + arrival.notes if arrival.notes else reply.notes,
            reply.delay_ms,
            duration_ms,
            reply.injected,
            reply.violations,
            reply.session,
            reply.state,
        )
        size = size_of(path, query, kept_body, reply.logged_body, headers)  # from what is at hand
        self.store.add(record, size)
        return record
