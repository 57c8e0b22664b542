#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (fuzz/corpus/<target>/) from the sources they
fuzz: every route of src/api/routes.cpp as an authenticated HTTP request, and every decoder's
sample body of tests/support/body_decoders.hpp. Rerun after adding a route or a decoder:
    python3 fuzz/make_seeds.py
"""
import hashlib
import json
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"

ROUTES = re.findall(r'(?:Admin|Public|Page)Route\("(\w+)",\s*"([^"]+)"',
                    (ROOT / "src/api/routes.cpp").read_text())
DECODERS = re.findall(r'BodyDecoder\{\s*"(\w+)".*?R"\((.*?)\)"\}',
                      (ROOT / "tests/support/body_decoders.hpp").read_text(), re.S)
SAMPLES = {
    "/v1/organization/users/{user_id}": {"role": "owner", "technical_level": "t"},
    "/v1/organization/users/{user_id}/roles": {"role_id": "role-x"},
    "/v1/organization/roles": {"role_name": "R", "permissions": ["api.groups.read"],
                               "description": "d"},
    "/v1/organization/roles/{role_id}": {"role_name": "R2", "permissions": []},
    "/v1/organization/groups": {"name": "G"},
    "/v1/organization/groups/{group_id}": {"name": "G2"},
    "/v1/organization/groups/{group_id}/users": {"user_id": "user-x"},
    "/v1/organization/groups/{group_id}/roles": {"role_id": "role-x"},
    "/v1/organization/invites": {"email": "a@example.com", "role": "reader",
                                 "projects": [{"id": "p", "role": "member"}]},
    "/v1/organization/admin_api_keys": {"name": "k", "expires_in_seconds": 60},
    "/roster/invites/accept": {"token": "t", "name": "N"},
}
AUTH, ORG, JSON_TYPE = 1, 2, 4


def write(target, name, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha1(data).hexdigest()[:12]
    (folder / f"{name}-{digest}").write_bytes(data)


def http(method, path, body=b"", headers=()):
    lines = [f"{method} {path} HTTP/1.1", "Host: fuzz"]
    lines += list(headers)
    if body or method == "POST":
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def main():
    for index, (method, pattern) in enumerate(ROUTES):
        path = re.sub(r"\{(\w+)\}", lambda m: {"user_id": "user-abc", "role_id": "role-abc",
                                               "group_id": "group-abc", "invite_id": "invite-abc",
                                               "key_id": "key_abc"}.get(m[1], "x"), pattern)
        if method == "GET" and "{" not in pattern:
            path += "?limit=2&order=desc&after=x&emails[]=a%40b.c"
        body = json.dumps(SAMPLES.get(pattern, {})).encode() if method == "POST" else b""
        write("fuzz_http_router", f"route{index:02d}",
              bytes([AUTH | ORG | JSON_TYPE]) + http(method, path, body))
    write("fuzz_http_router", "anonymous", bytes([0]) + http("GET", "/v1/organization/users"))
    write("fuzz_http_router", "pipelined", bytes([AUTH]) +
          http("GET", "/v1/organization/roles") + http("DELETE", "/v1/organization/roles/role-x"))
    write("fuzz_http_router", "chunked", bytes([AUTH]) + (
        b"POST /v1/organization/groups HTTP/1.1\r\nHost: f\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n5\r\n{\"nam\r\n8\r\ne\":\"G\"}\r\n0\r\n\r\n"))
    write("fuzz_http_router", "escapes", bytes([AUTH]) +
          http("GET", "/v1/organization/users/%C0%AE%00..%2F?after=%FF&limit=1e400"))
    write("fuzz_http_router", "http10", bytes([AUTH]) +
          b"GET /v1/organization/users/user-abc/roles HTTP/1.0\r\n\r\n")

    for index, (name, sample) in enumerate(DECODERS):
        write("fuzz_json_bodies", name, bytes([index, 0]) + sample.encode())
    write("fuzz_json_bodies", "deep", bytes([2, 0]) + b'{"permissions":' + b"[" * 70 + b"]" * 70 + b"}")
    write("fuzz_json_bodies", "numbers", bytes([10, 0]) + b'{"name":"k","expires_in_seconds":-0.0e+400}')

    for index, (method, pattern) in enumerate(ROUTES):
        verb = {"GET": 0, "POST": 1, "DELETE": 2}[method]
        write("fuzz_query_path", f"route{index:02d}",
              bytes([verb]) + re.sub(r"\{\w+\}", "id-%41%e2%82%ac", pattern).encode())
    for name, target in {"list": "/v1/organization/users?limit=20&after=user-1&emails[]=a%40b&order=asc",
                         "roles": "/v1/organization/roles?limit=0&order=desc",
                         "bad": "/v1/organization/users/%FF%00..%2F?limit=-99999999999999999999&a=%",
                         "plus": "/v1/organization/audit_logs?event_types%5B%5D=role.created&x=a+b"}.items():
        write("fuzz_query_path", name, bytes([0]) + target.encode())


if __name__ == "__main__":
    main()
