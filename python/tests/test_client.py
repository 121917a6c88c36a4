# SPDX-License-Identifier: Apache-2.0
"""The agent client against a real service on 127.0.0.1: httpx and requests sign every request,
first with the passport inline and then in the compact form, resend the passport when the service
has forgotten it, and the Python verifier refuses tampered, replayed and malformed requests with
their codes."""
from __future__ import annotations

import base64
import http.client
import json
from typing import Iterator

import httpx
import pytest
import requests
from service import Service, serve
from vectors import CONFIG, KEYS, NOW, PASSPORT, verifier_at

from agent_passport import (AgentKey, HttpxPassportAuth, Passport, PassportSigner, RequestsPassportAuth,
                            RequestVerifier, sign_request)

KEY = AgentKey.from_seed(bytes.fromhex(KEYS["agent"]["seedHex"]))
PASS = Passport(base64.urlsafe_b64decode(PASSPORT["bytesBase64url"] + "=="))


def make_verifier(origin: str) -> RequestVerifier:
    return RequestVerifier(verifier_at(), origin, clock=lambda: NOW, max_age_seconds=CONFIG["maxAgeSeconds"],
                           skew_seconds=CONFIG["skewSeconds"])


@pytest.fixture()
def service() -> Iterator[Service]:
    yield from serve(make_verifier)


def signer() -> PassportSigner:
    return PassportSigner(KEY, PASS, clock=lambda: NOW)


def code(response: httpx.Response | requests.Response) -> str:
    return response.json()["code"]


def test_httpx_inline_then_compact(service: Service) -> None:
    with httpx.Client(auth=HttpxPassportAuth(signer())) as client:
        first = client.get(f"{service.origin}/v1/notes?limit=10")
        second = client.post(f"{service.origin}/v1/notes", json={"title": "hello"})
    assert (first.status_code, first.json()["agent"]) == (200, KEY.did)
    assert second.status_code == 200, second.text
    assert "agent-passport" in service.received[0]
    assert "agent-passport" not in service.received[1]
    assert 'keyid="sha-256=:' in service.received[1]["signature-input"]
    assert "content-digest" in service.received[1]


def test_requests_inline_then_compact(service: Service) -> None:
    session = requests.Session()
    session.auth = RequestsPassportAuth(signer())
    assert session.get(f"{service.origin}/v1/notes").status_code == 200
    response = session.put(f"{service.origin}/v1/notes/1", data=b"\x00binary\xff")
    assert response.status_code == 200, response.text
    assert "agent-passport" not in service.received[1]


@pytest.mark.parametrize("client", ["httpx", "requests"])
def test_passport_resent_when_the_service_forgot_it(service: Service, client: str) -> None:
    s = signer()
    url = f"{service.origin}/v1/notes"
    if client == "httpx":
        with httpx.Client(auth=HttpxPassportAuth(s)) as c:
            assert c.get(url).status_code == 200
            service.forget()
            response = c.get(url)
    else:
        session = requests.Session()
        session.auth = RequestsPassportAuth(s)
        assert session.get(url).status_code == 200
        service.forget()
        response = session.get(url)
    assert response.status_code == 200
    assert [("agent-passport" in r) for r in service.received] == [True, False, True]


def signed(service: Service, method: str, path: str, body: bytes | None, headers: dict[str, str] | None = None,
           **options: object) -> dict[str, str]:
    return signer().sign(method, f"{service.origin}{path}", headers or {}, body, **options).headers


@pytest.mark.parametrize(("change", "expected"), [
    (lambda h, b, p: (h, b"{\"title\":\"HELLO\"}", p), "ERR_DIGEST_MISMATCH"),
    (lambda h, b, p: (h, b, "/v1/admin"), "ERR_SIG_INVALID"),
    # The digest header is covered: changing it breaks the signature, checked before the body.
    (lambda h, b, p: ({**h, "content-digest": "sha-256=:AAAA:"}, b, p), "ERR_SIG_INVALID"),
    (lambda h, b, p: ({k: v for k, v in h.items() if k != "signature"}, b, p), "ERR_SIG_MISSING"),
    (lambda h, b, p: ({**h, "agent-passport": h["agent-passport"][:-4]}, b, p), "ERR_SIG_INVALID"),
], ids=["body", "path", "digest-header", "signature-removed", "passport-header"])
def test_tampered_requests_are_refused_with_their_code(service: Service, change, expected: str) -> None:  # noqa: ANN001
    body = b'{"title":"hello"}'
    headers, body, path = change(signed(service, "POST", "/v1/notes", body), body, "/v1/notes")
    response = httpx.post(f"{service.origin}{path}", headers=headers, content=body)
    assert (response.status_code, code(response)) == (401, expected)
    assert expected in response.headers["www-authenticate"]


def test_replay_is_refused(service: Service) -> None:
    headers = signed(service, "GET", "/v1/notes", None)
    assert httpx.get(f"{service.origin}/v1/notes", headers=headers).status_code == 200
    again = httpx.get(f"{service.origin}/v1/notes", headers=headers)
    assert (again.status_code, code(again)) == (401, "ERR_REPLAY")


def test_a_stripped_body_does_not_verify(service: Service) -> None:
    # The digest is covered: it is checked even when the body arrives empty.
    headers = signed(service, "POST", "/v1/notes", b'{"title":"hello"}')
    response = httpx.post(f"{service.origin}/v1/notes", headers=headers, content=b"")
    assert code(response) == "ERR_DIGEST_MISMATCH"


def test_an_uncovered_body_is_refused(service: Service) -> None:
    headers = signed(service, "GET", "/v1/notes", None)
    response = httpx.request("GET", f"{service.origin}/v1/notes", headers=headers, content=b"smuggled")
    assert code(response) == "ERR_SIG_COMPONENT_MISSING"


def test_the_host_header_does_not_choose_the_signed_url(service: Service) -> None:
    other = "http://api-a.example"
    headers = sign_request("GET", f"{other}/v1/notes", key_id=KEY.key_id, sign=KEY.sign, created=int(NOW),
                           extra_headers={"agent-passport": signer().inline}).headers
    response = httpx.get(f"{service.origin}/v1/notes", headers={**headers, "host": "api-a.example"})
    assert code(response) == "ERR_SIG_INVALID"


def test_a_target_not_in_normal_form_is_refused(service: Service) -> None:
    # Signed for /v1/notes, sent raw as /v1/admin/../notes: the raw target is what is verified.
    headers = signed(service, "GET", "/v1/notes", None)
    connection = http.client.HTTPConnection(*service.server.server_address[:2])
    connection.request("GET", "/v1/admin/../notes", headers=headers)
    response = connection.getresponse()
    assert (response.status, json.loads(response.read())["code"]) == (401, "ERR_SIG_INVALID")
    connection.close()


def test_too_many_components_are_refused_before_any_key_work(service: Service) -> None:
    extra = {f"x-h{i}": "v" for i in range(20)}
    headers = signed(service, "GET", "/v1/notes", None, extra,
                     components=["@method", "@target-uri", "agent-passport", *extra])
    response = httpx.get(f"{service.origin}/v1/notes", headers={**headers, **extra})
    assert code(response) == "ERR_SIG_MALFORMED"


def test_the_signer_refuses_a_key_that_is_not_the_subjects() -> None:
    other = AgentKey.from_seed(bytes.fromhex(KEYS["attacker"]["seedHex"]))
    with pytest.raises(ValueError):
        PassportSigner(other, PASS)
