# SPDX-License-Identifier: Apache-2.0
"""The agent's HTTP client side: every request signed, the passport bound into the signature.
The passport travels on first contact with an origin; after that only its reference, as the
signature's keyid (the compact form); the full passport again when the service answers 401 with
ERR_PASSPORT_UNKNOWN. A sub-agent sends its delegation chain beside the organisation's passport,
then both references (the keyid stays its own key), and both again on ERR_PASSPORT_UNKNOWN or
ERR_DELEGATION_UNKNOWN. Plugs into httpx (``httpx.Auth``) and requests (``requests.auth.AuthBase``)."""
from __future__ import annotations

import threading
import time
from typing import Any, Callable, Generator, Mapping
from urllib.parse import urlsplit

from .delegation import DelegationChain
from .httpsig import (DELEGATION_HEADER, DELEGATION_REF_HEADER, PASSPORT_HEADER, PASSPORT_REF_HEADER, SignedHeaders,
                      b64url, passport_ref, sign_request)
from .keys import AgentKey
from .presentation import Passport

#: Every header the signer adds besides the signature's own: removed before signing again.
_SIGNING_HEADERS = ("signature", "signature-input", "content-digest", PASSPORT_HEADER, PASSPORT_REF_HEADER,
                    DELEGATION_HEADER, DELEGATION_REF_HEADER)


class PassportSigner:
    """Signs requests for one agent key and passport, remembering which origins know the passport.
    A sub-agent gives its ``delegations``: ``passport`` is then the organisation's passport of the
    first delegating agent, and the key must be the last delegation's subject's."""

    def __init__(self, key: AgentKey, passport: Passport, *, delegations: DelegationChain | None = None,
                 expires_in: int = 60, clock: Callable[[], float] = time.time) -> None:
        if delegations is None and key.did != passport.subject:
            raise ValueError("the key is not the passport subject's")
        if delegations is not None and key.did != delegations.holder:
            raise ValueError("the key is not the last delegation subject's")
        self.key, self.passport, self.expires_in, self.clock = key, passport, expires_in, clock
        self.delegations = delegations
        self.inline = b64url(passport.bytes)
        self.ref = passport_ref(passport.bytes)
        self._known: set[str] = set()
        self._lock = threading.Lock()

    @staticmethod
    def origin(url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme.lower()}://{parts.netloc.lower()}"

    def knows(self, url: str) -> bool:
        with self._lock:
            return self.origin(url) in self._known

    def learned(self, url: str, accepted: bool) -> None:
        with self._lock:
            (self._known.add if accepted else self._known.discard)(self.origin(url))

    def sign(self, method: str, url: str, headers: Mapping[str, str] | None = None, body: bytes | None = None,
             full: bool = True, **options: Any) -> SignedHeaders:
        """Headers for one request: the passport inline (``full``) or the compact form."""
        options.setdefault("created", int(self.clock()))
        if self.delegations is not None:
            chain = self.delegations
            extra = ({PASSPORT_HEADER: self.inline, DELEGATION_HEADER: chain.inline} if full
                     else {PASSPORT_REF_HEADER: self.ref, DELEGATION_REF_HEADER: chain.ref})
            return sign_request(method, url, key_id=self.key.key_id, sign=self.key.sign, headers=headers, body=body,
                                extra_headers=extra, expires_in=self.expires_in, **options)
        if full:
            return sign_request(method, url, key_id=self.key.key_id, sign=self.key.sign, headers=headers, body=body,
                                extra_headers={PASSPORT_HEADER: self.inline}, expires_in=self.expires_in, **options)
        return sign_request(method, url, key_id=self.ref, sign=self.key.sign, headers=headers, body=body,
                            expires_in=self.expires_in, **options)


def passport_unknown(status: int, www_authenticate: str | None) -> bool:
    """Did the service answer that it does not know the passport (or chain) reference?"""
    challenge = www_authenticate or ""
    return status == 401 and ("ERR_PASSPORT_UNKNOWN" in challenge or "ERR_DELEGATION_UNKNOWN" in challenge)


def _body(content: Any) -> bytes | None:
    if content is None:
        return None
    if isinstance(content, str):
        return content.encode("utf-8")
    if isinstance(content, (bytes, bytearray)):
        return bytes(content)
    raise TypeError("only in-memory bodies can be signed (their digest is covered)")


try:
    import httpx

    class HttpxPassportAuth(httpx.Auth):
        """``httpx.Client(auth=HttpxPassportAuth(signer))``: signs every request."""

        requires_request_body = True

        def __init__(self, signer: PassportSigner) -> None:
            self.signer = signer

        def _apply(self, request: httpx.Request, full: bool) -> None:
            for name in _SIGNING_HEADERS:
                request.headers.pop(name, None)
            body = request.content if request.content else (b"" if request.method in ("POST", "PUT", "PATCH") else None)
            signed = self.signer.sign(request.method, str(request.url), dict(request.headers), body, full=full)
            request.headers.update(signed.headers)

        def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
            url = str(request.url)
            full = not self.signer.knows(url)
            self._apply(request, full)
            response = yield request
            if response.status_code < 400:
                self.signer.learned(url, True)
            elif not full and passport_unknown(response.status_code, response.headers.get("www-authenticate")):
                self.signer.learned(url, False)
                self._apply(request, True)
                yield request
except ImportError:  # pragma: no cover - httpx is optional
    pass

try:
    import requests

    class RequestsPassportAuth(requests.auth.AuthBase):
        """``requests.get(url, auth=RequestsPassportAuth(signer))``: signs every request."""

        def __init__(self, signer: PassportSigner) -> None:
            self.signer = signer

        def _apply(self, request: requests.PreparedRequest, full: bool) -> None:
            for name in _SIGNING_HEADERS:
                request.headers.pop(name, None)
            body = _body(request.body)
            signed = self.signer.sign(str(request.method), str(request.url), dict(request.headers), body, full=full)
            request.headers.update(signed.headers)

        def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
            full = not self.signer.knows(str(request.url))
            self._apply(request, full)
            request.register_hook("response", self._on_response(full))
            return request

        def _on_response(self, full: bool):  # noqa: ANN202
            def hook(response: requests.Response, **kwargs: Any) -> requests.Response:
                url = str(response.request.url)
                if response.status_code < 400:
                    self.signer.learned(url, True)
                    return response
                if full or not passport_unknown(response.status_code, response.headers.get("www-authenticate")):
                    return response
                self.signer.learned(url, False)
                retry = response.request.copy()
                self._apply(retry, True)
                response.content  # noqa: B018 - release the connection before reusing it
                response.close()
                again = response.connection.send(retry, **kwargs)
                again.history.append(response)
                return again
            return hook
except ImportError:  # pragma: no cover - requests is optional
    pass
