"""Schemathesis hooks for the GraphQL fuzz run (test/fuzz/schema-fuzz.test.ts loads them via SCHEMATHESIS_HOOKS).

Schemathesis (hypothesis-graphql) writes every argument as a literal in the query text, and a literal cannot carry
a lone surrogate. So `before_call` rewrites most requests before they are sent:
- the root field's arguments travel as JSON variables, with hostile values in typed positions (NUL, lone
  surrogates, control characters, huge strings, malformed ids, out-of-range numbers, oversized lists);
- or a valid request for a case in the right stage (SEEDS) goes with one value made hostile, so hostile input
  reaches the workflow update path instead of stopping at the first id check;
- a few become 40-level-deep or 500-alias queries, and a few are replaced by malformed or oversized bodies.
Every exchange is classified once, by `verdict`, and written as one JSON line (with the request actually sent) to
BIHUAN_FUZZ_LOG; the custom check `bihuan_typed_answers` fails the run on any bad answer.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import threading
from typing import Any

import graphql
import schemathesis
from hypothesis import strategies as st
from schemathesis.graphql import nodes

LOG_PATH = os.environ.get("BIHUAN_FUZZ_LOG", "fuzz-log.jsonl")
PRINCIPAL = os.environ.get("BIHUAN_FUZZ_PRINCIPAL", "unknown")
# Of the requests not seeded: the share sent with variables (the rest go as Schemathesis wrote them).
VARIABLES_SHARE = float(os.environ.get("BIHUAN_FUZZ_VARIABLES_SHARE", "0.5"))
# Real ids of the demo data, so hostile input also reaches cases that exist (JSON list of strings).
KNOWN_IDS: list[str] = json.loads(os.environ.get("BIHUAN_FUZZ_IDS", "[]"))
# Valid arguments per root field (a JSON file written by the test): sent with one or two values made hostile, so
# hostile input reaches the update path of a case in the matching stage instead of stopping at the first check.
SEEDS: dict[str, list[dict[str, Any]]] = (
    json.load(open(os.environ["BIHUAN_FUZZ_SEEDS"], encoding="utf-8")) if os.environ.get("BIHUAN_FUZZ_SEEDS") else {}
)
SEEDED_SHARE = 0.35
SHAPE_SHARE = 0.03
RAW_BODY_SHARE = 0.02
MAX_LOGGED_BODY = 4000
MAX_BODY = 4_000_000

_lock = threading.Lock()
_raw_sent = 0

HOSTILE_STRINGS: list[str] = [
    "",
    " ",
    "a\u0000b",
    "\u0000",
    "x\ud800y",
    "\udfff",
    "\ud83d",
    "\u0001\u0002\u001b[31m\u007f",
    "\r\n\t",
    "\u202eevil\u202c",
    "\ufeff\u200b",
    "\U0001f600\u0301\u0301\u0301",
    "\\u0000",
    "'; drop table audit_entry; --",
    "${jndi:ldap://x}",
    "<script>alert(1)</script>",
    "../../../../etc/passwd",
    "%s%n%x",
    "null",
    "长" * 70_000,
    "a" * 300_000,
]
MALFORMED_IDS: list[Any] = [
    "",
    "x",
    "0",
    "-1",
    "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "123e4567-e89b-12d3-a456-4266141740000",
    "123e4567-e89b-12d3-a456-42661417400\u0000",
    "123e4567e89b12d3a456426614174000",
    "{123e4567-e89b-12d3-a456-426614174000}",
    "accident-evaluation/x",
    "R1",
    "R999999999999999999999",
    "task\ud800",
    "1" * 10_000,
    0,
    -1,
    2**31,
    2**53 + 1,
]
HOSTILE_INTS: list[Any] = [0, -1, 1, -(2**31), 2**31 - 1, 2**31, -(2**31) - 1, 2**53, 1.5, 1e308, "1", None]
HOSTILE_DATES: list[str] = [
    "",
    "2026-13-45T25:61:61Z",
    "0000-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999Z",
    "+275760-09-13T00:00:00Z",
    "-271821-04-20T00:00:00Z",
    "1970-01-01",
    "now",
    "2026-10-12T00:00:00\u0000Z",
    "2026-10-12T00:00:00+25:00",
]
HOSTILE_ENUMS: list[str] = ["", "nope", "__proto__", "LEADER\u0000"]
# Text that can never be stored or shown as it is: a seeded request carrying it must be refused, so the case stays
# in its stage for the next one.
UNSTORABLE_STRINGS: list[str] = [s for s in HOSTILE_STRINGS if any(c in s for c in "\u0000\ud800\udfff\ud83d\u0001\u007f") or len(s) > 50_000]
# Bodies that are not a GraphQL request at all, or that are far too large: each needs a JSON error, never HTML.
RAW_BODIES: list[bytes] = [
    b"",
    b"not json",
    b'{"query": "{ regions { id } "',
    b"[]",
    b'[{"query": "{ regions { id } }"}, {"query": "{ regions { id } }"}]',
    b'{"query": 5}',
    b'{"query": null}',
    b'{"query": "{ regions { id } }", "variables": "x"}',
    b'{"query": "{ regions { id } }", "variables": [1]}',
    b'{"query": "{ regions { id } }", "operationName": 5}',
    b'{"query": "{ regions { id } }", "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "x"}}}',
    b'{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "' + b"ab" * 32 + b'"}}}',
    b'{"query": "{ regions { id } }", "extensions": {"persistedQuery": {"version": 2, "sha256Hash": "x"}}}',
    b'{"query": "query A { regions { id } } query B { regions { id } }"}',
    b'{"query": "query A { regions { id } }", "operationName": "C"}',
    b'{"query": "subscription { regions { id } }"}',
    b'{"query": "query ($a: Int!) { accidents(first: $a) { id } }", "variables": {"a": "x"}}',
    b'{"query": "query ($a: Int!) { accidents(first: $a) { id } }", "variables": {}}',
    b'{"query": "{ __type(name: \\"\\u0000\\") { name } }"}',
    b'{"query": "{ __schema { types { fields { type { fields { type { fields { type { name } } } } } } } } }"}',
    b'{"query": "{ regions { id @skip(if: true) @skip(if: true) @include(if: 5) } }"}',
    b'{"query": "fragment F on Query { ...F } { ...F }"}',
    b'{"query": "\\ud800"}',
    b"\xff\xfe\x00{",
    b'{"query": "' + b"{ a " * 20_000 + b'"}',
    b'{"query": "{ ' + b"__typename " * 20_000 + b'}"}',
    b'{"query": "' + b"a" * 3_000_000 + b'"}',
]


def _iso_datetimes() -> st.SearchStrategy[str]:
    return st.datetimes().map(lambda d: d.isoformat(timespec="milliseconds") + "Z")


schemathesis.graphql.scalar(
    "DateTimeISO",
    st.one_of(_iso_datetimes(), st.sampled_from(HOSTILE_DATES), st.text(max_size=40)).map(nodes.String),
)


def _rng(text: str) -> random.Random:
    # Seeded by the query text so that a run with a fixed Schemathesis seed rewrites the same requests.
    return random.Random(int.from_bytes(hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()[:8], "big"))


def _hostile_scalar(type_name: str, value: Any, rnd: random.Random) -> Any:
    if type_name == "String":
        pick = rnd.choice(HOSTILE_STRINGS)
        if isinstance(value, str) and value and rnd.random() < 0.5:
            cut = rnd.randrange(len(value) + 1)
            return value[:cut] + pick[:1000] + value[cut:]
        return pick
    if type_name == "ID":
        if KNOWN_IDS and rnd.random() < 0.3:
            known = rnd.choice(KNOWN_IDS)
            return rnd.choice([known, known.upper(), known + "\u0000", " " + known, known[:-1]])
        return rnd.choice(MALFORMED_IDS)
    if type_name == "Int":
        return rnd.choice(HOSTILE_INTS)
    if type_name == "Float":
        return rnd.choice([1e308, -0.0, 2**64, "NaN"])
    if type_name == "Boolean":
        return rnd.choice([True, False, None, "true", 1])
    if type_name == "DateTimeISO":
        return rnd.choice(HOSTILE_DATES)
    return value


def _mutate(value: Any, gtype: graphql.GraphQLInputType, rnd: random.Random, rate: float) -> Any:
    inner = gtype.of_type if isinstance(gtype, graphql.GraphQLNonNull) else gtype
    if value is None:
        return value
    if isinstance(inner, graphql.GraphQLList):
        items = value if isinstance(value, list) else [value]
        if items and rnd.random() < 0.03:
            items = (items * (1 + 600 // len(items)))[:600]  # oversized repeated items
        return [_mutate(v, inner.of_type, rnd, rate) for v in items]
    if isinstance(inner, graphql.GraphQLInputObjectType):
        if not isinstance(value, dict):
            return value
        out = {k: (_mutate(v, inner.fields[k].type, rnd, rate) if k in inner.fields else v) for k, v in value.items()}
        if rnd.random() < 0.02:
            out["notAField"] = "x"
        return out
    if rnd.random() >= rate:
        return value
    if isinstance(inner, graphql.GraphQLEnumType):
        return rnd.choice(HOSTILE_ENUMS)
    if isinstance(inner, graphql.GraphQLScalarType):
        return _hostile_scalar(inner.name, value, rnd)
    return value


def _leaves(value: Any, gtype: graphql.GraphQLInputType, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    """Every scalar or enum position in a value, with its GraphQL type."""
    inner = gtype.of_type if isinstance(gtype, graphql.GraphQLNonNull) else gtype
    if isinstance(inner, graphql.GraphQLList) and isinstance(value, list):
        return [leaf for i, v in enumerate(value) for leaf in _leaves(v, inner.of_type, (*path, i))]
    if isinstance(inner, graphql.GraphQLInputObjectType) and isinstance(value, dict):
        return [leaf for k, v in value.items() if k in inner.fields for leaf in _leaves(v, inner.fields[k].type, (*path, k))]
    return [(path, inner)]


def _set(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    copy = list(value) if isinstance(value, list) else dict(value)
    copy[head] = _set(value[head], rest, new)
    return copy


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        value = value[key]
    return value


def _one_hostile(args: dict[str, Any], field: graphql.GraphQLField, rnd: random.Random) -> dict[str, Any]:
    """Valid arguments with one or two values made hostile (text mostly made unstorable)."""
    leaves = [((name, *path), t) for name, v in args.items() if name in field.args for path, t in _leaves(v, field.args[name].type)]
    for _ in range(rnd.choice([1, 1, 1, 2])):
        if not leaves:
            break
        path, t = rnd.choice(leaves)
        if isinstance(t, graphql.GraphQLScalarType) and t.name == "String" and rnd.random() < 0.8:
            current = _get(args, path)
            pick = rnd.choice(UNSTORABLE_STRINGS)
            hostile = current[:2] + pick + current[2:] if isinstance(current, str) and len(pick) < 1000 else pick
        else:
            hostile = _mutate(_get(args, path), t, rnd, 1.0)
        args = _set(args, path, hostile)
    return args


def _field_type_chain(root: graphql.GraphQLObjectType, field: graphql.GraphQLField, rnd: random.Random, depth: int) -> str:
    """A selection going `depth` levels down through object fields that take no required argument."""
    parts: list[str] = []
    current = graphql.get_named_type(field.type)
    for _ in range(depth):
        if not isinstance(current, graphql.GraphQLObjectType):
            break
        options = [
            (name, f)
            for name, f in current.fields.items()
            if isinstance(graphql.get_named_type(f.type), graphql.GraphQLObjectType)
            and not any(isinstance(a.type, graphql.GraphQLNonNull) and a.default_value is graphql.Undefined for a in f.args.values())
        ]
        if not options:
            break
        name, f = rnd.choice(options)
        parts.append(name)
        current = graphql.get_named_type(f.type)
    return "".join(f"{p} {{ " for p in parts) + "__typename" + " }" * len(parts)


def _reshape(operation: graphql.OperationDefinitionNode, root: graphql.GraphQLObjectType, rnd: random.Random) -> graphql.OperationDefinitionNode:
    """A deep selection, or the root field repeated under many aliases (cost limits must refuse both, typed)."""
    field_node = next((s for s in operation.selection_set.selections if isinstance(s, graphql.FieldNode)), None)
    if field_node is None or field_node.name.value not in root.fields:
        return operation
    if field_node.selection_set is not None and rnd.random() < 0.5:
        chain = _field_type_chain(root, root.fields[field_node.name.value], rnd, rnd.choice([12, 40]))
        deep = graphql.parse(f"{{ x {{ {chain} }} }}").definitions[0].selection_set.selections[0].selection_set
        selections = (graphql.FieldNode(alias=field_node.alias, name=field_node.name, arguments=field_node.arguments, directives=(), selection_set=deep),)
    else:
        count = rnd.choice([50, 500])
        selections = tuple(
            graphql.FieldNode(alias=graphql.NameNode(value=f"a{i}"), name=field_node.name, arguments=field_node.arguments, directives=(), selection_set=field_node.selection_set)
            for i in range(count)
        )
    return graphql.OperationDefinitionNode(
        operation=operation.operation,
        name=operation.name,
        variable_definitions=operation.variable_definitions,
        directives=operation.directives,
        selection_set=graphql.SelectionSetNode(selections=selections),
    )


def _rewrite(query: str, client_schema: graphql.GraphQLSchema, rnd: random.Random, seeded: bool, reshape: bool) -> dict[str, Any] | None:
    """The same request with the root field's arguments as variables: hostile ones, or a seed with one hostile value."""
    try:
        document = graphql.parse(query)
    except graphql.GraphQLError:
        return None
    operation = next((d for d in document.definitions if isinstance(d, graphql.OperationDefinitionNode)), None)
    if operation is None:
        return None
    root = client_schema.get_root_type(operation.operation)
    if root is None:
        return None
    variables: dict[str, Any] = {}
    definitions: list[graphql.VariableDefinitionNode] = []
    selections = []
    rate = rnd.choice([0.1, 0.3, 0.7])
    for selection in operation.selection_set.selections:
        if not isinstance(selection, graphql.FieldNode) or selection.name.value not in root.fields:
            selections.append(selection)
            continue
        field = root.fields[selection.name.value]
        if seeded and SEEDS.get(selection.name.value):
            values = _one_hostile(rnd.choice(SEEDS[selection.name.value]), field, rnd)
        else:
            values = {}
            for argument in selection.arguments or ():
                if argument.name.value in field.args:
                    raw = graphql.value_from_ast_untyped(argument.value)
                    values[argument.name.value] = _mutate(raw, field.args[argument.name.value].type, rnd, rate)
        arguments = []
        for name, value in values.items():
            if name not in field.args:
                continue  # a seed older than the schema
            variable = f"v{len(definitions)}"
            variables[variable] = value
            definitions.append(
                graphql.VariableDefinitionNode(
                    variable=graphql.VariableNode(name=graphql.NameNode(value=variable)),
                    type=graphql.parse_type(str(field.args[name].type)),
                )
            )
            arguments.append(graphql.ArgumentNode(name=graphql.NameNode(value=name), value=graphql.VariableNode(name=graphql.NameNode(value=variable))))
        selections.append(
            graphql.FieldNode(
                alias=selection.alias,
                name=selection.name,
                arguments=tuple(arguments),
                directives=selection.directives,
                selection_set=selection.selection_set,
            )
        )
    rewritten = graphql.OperationDefinitionNode(
        operation=operation.operation,
        name=operation.name,
        variable_definitions=tuple(definitions),
        directives=operation.directives,
        selection_set=graphql.SelectionSetNode(selections=tuple(selections)),
    )
    if reshape:
        rewritten = _reshape(rewritten, root, rnd)
    return {"query": graphql.print_ast(rewritten), "variables": variables}


@schemathesis.hook
def before_call(context, case, kwargs):
    if not isinstance(case.body, str):
        return
    rnd = _rng(case.body)
    global _raw_sent
    with _lock:
        # Each raw body once at the start of the run, so that every one is tried whatever the seed.
        raw = RAW_BODIES[_raw_sent] if _raw_sent < len(RAW_BODIES) else None
        _raw_sent += 1
    if raw is None and rnd.random() < RAW_BODY_SHARE:
        raw = rnd.choice(RAW_BODIES)
    if raw is not None:
        kwargs["data"] = raw
        return
    roll = rnd.random()
    definition = case.operation.definition
    field_name = getattr(definition, "field_name", None)
    seeded = roll < SEEDED_SHARE and bool(SEEDS.get(field_name or ""))
    if not seeded and roll >= SEEDED_SHARE + VARIABLES_SHARE * (1 - SEEDED_SHARE):
        return  # sent as Schemathesis wrote it, arguments as literals
    payload = _rewrite(case.body, case.operation.schema.client_schema, rnd, seeded, rnd.random() < SHAPE_SHARE)
    if payload is None:
        return
    # ensure_ascii writes lone surrogates as JSON \\u escapes, which JSON allows and UTF-8 cannot carry.
    body = json.dumps(payload, ensure_ascii=True).encode("ascii")
    if len(body) <= MAX_BODY:  # one 3 MB body is among RAW_BODIES; many huge strings at once prove nothing more
        kwargs["data"] = body


STACK_LINE = re.compile(r"\n\s+at [^\n]*\(|\bnode_modules/|file://|/[\w.-]+/[\w./-]+\.(?:ts|js|mjs|cjs):\d+")


def verdict(status: int, content_type: str, text: str) -> list[str]:
    """Why this answer is not acceptable (empty when it is)."""
    problems: set[str] = set()
    if status >= 500 and status != 503:
        problems.add(f"HTTP {status}")
    if "html" in content_type.lower() or text.lstrip().startswith("<"):
        problems.add("HTML body")
    try:
        payload = json.loads(text)
    except ValueError:
        if "HTML body" not in problems:
            problems.add("body is not JSON")
        if STACK_LINE.search(text):
            problems.add("stack trace in response")
        return sorted(problems)
    errors = payload.get("errors") if isinstance(payload, dict) else None
    for error in errors if isinstance(errors, list) else []:
        extensions = (error.get("extensions") if isinstance(error, dict) else None) or {}
        code = extensions.get("code")
        if code == "INTERNAL_SERVER_ERROR":
            problems.add("INTERNAL_SERVER_ERROR")
        elif code is None:
            problems.add("error without extensions.code")
        # Only the errors are searched: data may echo what the fuzzer itself wrote.
        if "stacktrace" in extensions or "exception" in extensions or STACK_LINE.search("\n".join(_strings(error))):
            problems.add("stack trace in response")
    return sorted(problems)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _codes(text: str) -> list[str]:
    """The error codes of an answer, or ["OK"] when it has none (to show how deep the run reached)."""
    try:
        payload = json.loads(text)
    except ValueError:
        return ["NOT_JSON"]
    errors = payload.get("errors") if isinstance(payload, dict) else None
    if not errors:
        return ["OK"]
    return sorted({str(((e.get("extensions") if isinstance(e, dict) else None) or {}).get("code")) for e in errors})


def _content_type(response) -> str:
    value = response.headers.get("content-type") or response.headers.get("Content-Type") or ""
    return value[0] if isinstance(value, list) and value else str(value)


def _request_payload(request) -> Any:
    body = request.body
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    try:
        payload = json.loads(body) if body else None
    except ValueError:
        return body[:MAX_LOGGED_BODY] if isinstance(body, str) else None
    # Keep the log small: hostile strings are long on purpose.
    return _shorten(payload)


def _shorten(value: Any) -> Any:
    if isinstance(value, str) and len(value) > 300:
        return f"{value[:120]}…<{len(value)} chars>…{value[-40:]}"
    if isinstance(value, list):
        head = [_shorten(v) for v in value[:20]]
        return head + [f"…<{len(value)} items>"] if len(value) > 20 else head
    if isinstance(value, dict):
        return {k: _shorten(v) for k, v in value.items()}
    return value


def _write(record: dict[str, Any]) -> None:
    line = json.dumps(record, ensure_ascii=True)
    with _lock, open(LOG_PATH, "a", encoding="utf-8") as log:
        log.write(line + "\n")


@schemathesis.hook
def after_call(context, case, response):
    text = response.content.decode("utf-8", "replace")
    problems = verdict(response.status_code, _content_type(response), text)
    record: dict[str, Any] = {
        "principal": PRINCIPAL,
        "operation": case.operation.label,
        "status": response.status_code,
        "ms": round(response.elapsed * 1000),
        "problems": problems,
        "codes": _codes(text),
    }
    if problems:
        record["request"] = _request_payload(response.request)
        record["response"] = text[:MAX_LOGGED_BODY]
    _write(record)


@schemathesis.hook
def after_network_error(context, case, request):
    _write(
        {
            "principal": PRINCIPAL,
            "operation": case.operation.label,
            "status": 0,
            "problems": ["no answer (timeout or connection error)"],
            "request": _request_payload(request),
        }
    )


@schemathesis.check
def bihuan_typed_answers(ctx, response, case):
    """Every answer is JSON with a typed error code: no INTERNAL_SERVER_ERROR, stack trace, HTML or 5xx but 503."""
    text = response.content.decode("utf-8", "replace")
    problems = verdict(response.status_code, _content_type(response), text)
    if problems:
        raise AssertionError(", ".join(problems))
