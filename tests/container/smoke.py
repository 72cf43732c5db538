"""HTTP smoke test of a running Courtyard (the container's web role): sign in and load the main pages.

    python tests/container/smoke.py --url http://127.0.0.1:18180 \
        --admin admin@example.com:PASSWORD --member member@example.com:PASSWORD

Standard library only, so any Python runs it. Prints one line per check and exits non-zero if any
failed. scripts/container-smoke.sh runs it against the container it started; it is not a pytest module.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

# What every signed-in page has in its menu (base.html) and a signed-out page lacks.
SIGNED_IN_MARK = "Sign out"
ADMIN_MARK = "Community admin"
PAGES = {
    "home": "/",
    "people directory": "/people/",
    "groups": "/groups/",
    "events": "/events/",
    "kudos": "/kudos/",
    "connect": "/connect/",
    "voice": "/voice/",
    "insights": "/insights/",
    "search": "/search/?q=a",
    "notifications": "/notifications/",
}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@dataclass
class Result:
    status: int
    body: str
    headers: dict[str, str]


@dataclass
class Smoke:
    base_url: str
    failures: list[str] = field(default_factory=list)
    passed: int = 0

    def check(self, ok: bool, label: str, detail: str = "") -> bool:
        if ok:
            self.passed += 1
            print(f"  ok    {label}")
        else:
            self.failures.append(f"{label}: {detail}")
            print(f"  FAIL  {label}: {detail}")
        return ok


class Browser:
    """A cookie-keeping client that does not follow redirects (the smoke asserts them)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect)

    def request(self, path: str, data: dict[str, str] | None = None) -> Result:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body)  # noqa: S310 - the URL we were given
        if data is not None:
            # Django's CSRF check compares the Referer with the host on secure requests only; sending it
            # anyway is what a browser does.
            request.add_header("Referer", self.base_url + path)
        try:
            with self.opener.open(request, timeout=60) as response:
                return Result(response.status, response.read().decode("utf-8", "replace"), dict(response.headers))
        except urllib.error.HTTPError as error:
            return Result(error.code, error.read().decode("utf-8", "replace"), dict(error.headers))

    def csrf_token(self, html: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        return match.group(1) if match else ""


def wait_healthy(smoke: Smoke, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            result = Browser(smoke.base_url).request("/healthz")
            if result.status == 200 and json.loads(result.body).get("status") == "ok":
                smoke.check(True, f"/healthz answers ok ({result.body.strip()})")
                return
            last = f"{result.status} {result.body[:200]}"
        except OSError as exc:
            last = str(exc)
        time.sleep(1)
    smoke.check(False, "/healthz answers ok", f"not within {timeout:.0f} s; last: {last}")


def sign_in(smoke: Smoke, email: str, password: str) -> Browser | None:
    browser = Browser(smoke.base_url)
    page = browser.request("/accounts/login/")
    token = browser.csrf_token(page.body)
    if not smoke.check(page.status == 200 and bool(token), f"login page with a CSRF token ({email})", f"status {page.status}"):
        return None
    wrong = browser.request("/accounts/login/", {"csrfmiddlewaretoken": token, "login": email, "password": password + "x"})
    smoke.check(wrong.status == 200 and SIGNED_IN_MARK not in wrong.body, "a wrong password is refused", f"status {wrong.status}")
    token = browser.csrf_token(wrong.body) or token
    answer = browser.request("/accounts/login/", {"csrfmiddlewaretoken": token, "login": email, "password": password})
    signed_in = answer.status == 302 and any(c.name == "sessionid" for c in browser.cookies)
    if not smoke.check(signed_in, f"sign-in as {email} redirects with a session cookie", f"status {answer.status}"):
        return None
    return browser


def load_pages(smoke: Smoke, browser: Browser, who: str, pages: dict[str, str], mark: str) -> str:
    html = ""
    for name, path in pages.items():
        started = time.perf_counter()
        result = browser.request(path)
        ms = (time.perf_counter() - started) * 1000
        smoke.check(
            result.status == 200 and mark in result.body,
            f"{who}: {name} {path} ({ms:.0f} ms)",
            f"status {result.status}" + ("" if mark in result.body else f", no {mark!r} on the page"),
        )
        html = html or result.body
    return html


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--admin", required=True, help="EMAIL:PASSWORD of a community admin")
    parser.add_argument("--member", required=True, help="EMAIL:PASSWORD of a member")
    parser.add_argument("--wait", type=float, default=180, help="seconds to wait for /healthz")
    args = parser.parse_args(argv)
    smoke = Smoke(args.url.rstrip("/"))

    print(f"smoke test of {smoke.base_url}")
    wait_healthy(smoke, args.wait)
    anonymous = Browser(smoke.base_url).request("/people/")
    smoke.check(
        anonymous.status == 302 and "/accounts/login/" in anonymous.headers.get("Location", ""),
        "signed out, the directory redirects to the login page",
        f"status {anonymous.status} {anonymous.headers.get('Location', '')}",
    )

    email, _, password = args.admin.partition(":")
    admin = sign_in(smoke, email, password)
    if admin is not None:
        home = load_pages(smoke, admin, "admin", PAGES, ADMIN_MARK)
        # collectstatic ran at build time: the pages name hashed files that whitenoise serves.
        static = re.search(r'(?:href|src)="(/static/[^"]+\.[0-9a-f]{12}\.(?:css|js))"', home)
        if smoke.check(bool(static), "pages link hashed static files", "no /static/…<hash>.css|js on the home page"):
            asset = admin.request(static.group(1) if static else "")
            smoke.check(asset.status == 200 and len(asset.body) > 100, f"static file served: {static.group(1) if static else ''}", f"status {asset.status}")
        api = admin.request("/api/openapi.json")
        smoke.check(api.status == 200 and '"openapi"' in api.body, "API: /api/openapi.json", f"status {api.status}")

    email, _, password = args.member.partition(":")
    member = sign_in(smoke, email, password)
    if member is not None:
        load_pages(smoke, member, "member", {"home": "/", "people directory": "/people/", "my activity": "/insights/me/"}, SIGNED_IN_MARK)
        admin_only = member.request("/people/import/")
        smoke.check(admin_only.status in (403, 404), "member: the admin's import page is refused", f"status {admin_only.status}")

    print(f"smoke: {smoke.passed} checks passed, {len(smoke.failures)} failed")
    for failure in smoke.failures:
        print(f"  - {failure}")
    return 1 if smoke.failures else 0


if __name__ == "__main__":
    sys.exit(main())
