"""50 logged-in people of every role walking Mentora's main journeys, writes included.

The server runs with production settings behind a TLS-terminating proxy. Here the proxy is
simulated: every request carries what the proxy adds, `X-Forwarded-Proto: https` (Django trusts it
through SECURE_PROXY_SSL_HEADER and then treats the request as HTTPS: secure cookies, HSTS, CSRF
Referer checks) and `X-Forwarded-For: <client>` (one address per simulated person, so allauth's
per-address login rate limit counts people, not the proxy; ALLAUTH_TRUSTED_PROXY_COUNT=1).
gunicorn is started with FORWARDED_ALLOW_IPS=127.0.0.1, the proxy's address.

Because the cookies are Secure and locust speaks plain HTTP to gunicorn (as the proxy would), the
cookie jar is told to send them anyway (what the browser does over the proxy's HTTPS).

    locust -f bench/load/locustfile.py --headless -u 50 -r 5 -t 5m --host http://127.0.0.1:8765
"""

import atexit
import csv
import itertools
import json
import os
import random
import re
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task

with open(os.environ.get("MENTORA_LOAD_LOGINS", "logins.json")) as _file:
    LOGINS = json.load(_file)
PASSWORD = os.environ.get("MENTORA_LOAD_PASSWORD", "mentora-demo")
_addresses = itertools.count(1)
_picks = {role: itertools.count() for role in LOGINS}
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The page kinds of signing in: summarize.py reports them apart from the pages people use once signed in.
SIGN_IN = ("login page", "log in")

# Every request, one CSV row each (start time, kind, milliseconds, error), for exact percentiles per kind
# and for telling the sign-in ramp from the steady state (bench/load/summarize.py).
_raw_path = os.environ.get("MENTORA_LOAD_RAW")
if _raw_path:
    _raw_file = open(_raw_path, "w", newline="")  # noqa: SIM115 - closed at exit
    _raw = csv.writer(_raw_file)
    _raw.writerow(["start", "method", "name", "ms", "error"])
    atexit.register(_raw_file.close)

    @events.request.add_listener
    def _record(request_type, name, response_time, exception=None, start_time=None, **_):
        _raw.writerow([f"{start_time:.3f}", request_type, name, f"{response_time:.1f}",
                       "" if exception is None else str(exception)[:200]])


class Person(HttpUser):
    abstract = True
    role = ""
    wait_time = between(2, 6)  # think time between pages

    def on_start(self):
        number = next(_addresses)
        entries = LOGINS[self.role]
        self.me = entries[next(_picks[self.role]) % len(entries)]
        origin = "https://" + urlsplit(self.host).netloc
        self.client.headers.update({
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}",
            "Referer": origin + "/",
            # As the proxy does (nginx speaks HTTP/1.0 to its upstream by default): one connection per
            # request, so no request ever races the server closing an idle kept-alive connection.
            "Connection": "close",
        })
        self.log_in()

    # -- helpers -------------------------------------------------------------------------------
    def _unsecure_cookies(self):
        for cookie in self.client.cookies:
            cookie.secure = False

    def page(self, url, name):
        self._unsecure_cookies()
        with self.client.get(url, name=name, catch_response=True, allow_redirects=False) as response:
            self._judge(response)
            return response

    def post(self, url, data, name, expect=(200, 302)):
        self._unsecure_cookies()
        data = {"csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""), **data}
        with self.client.post(url, data=data, name=name, catch_response=True, allow_redirects=False) as response:
            self._judge(response, expect)
            return response

    def _judge(self, response, expect=(200, 302)):
        location = response.headers.get("Location", "")
        if response.status_code not in expect:
            response.failure(f"{response.status_code} {location or response.error or ''}")
        elif response.status_code == 302 and location.startswith("/accounts/login/"):
            response.failure("logged out")
        else:
            response.success()

    def log_in(self):
        self._unsecure_cookies()
        self.page("/accounts/login/", SIGN_IN[0])
        self._unsecure_cookies()
        response = self.post("/accounts/login/", {"login": self.me["email"], "password": PASSWORD}, SIGN_IN[1],
                             expect=(302,))
        if response.status_code != 302:
            raise RuntimeError(f"login failed for {self.me['email']}: {response.status_code}")

    # -- journeys shared by everyone -----------------------------------------------------------
    @task(4)
    def dashboard(self):
        self.page("/", "dashboard")

    @task(1)
    def notifications(self):
        self.page("/notifications/", "notifications")

    @task(1)
    def api_me(self):
        self.page("/api/me", "api me")


class Mentee(Person):
    role = "mentee"
    fixed_count = 22

    def _relationship(self):
        return random.choice(self.me["relationships"]) if self.me["relationships"] else None

    @task(2)
    def own_profile(self):
        self.page(f"/people/{self.me['id']}/", "profile (own)")

    @task(2)
    def my_mentor(self):
        relationship = self._relationship()
        if relationship:
            self.page(f"/people/{relationship[2]}/", "profile (a mentor)")

    @task(2)
    def mentoring(self):
        self.page("/mentoring/", "my mentoring")
        relationship = self._relationship()
        if relationship:
            self.page(f"/mentoring/relationships/{relationship[0]}/", "relationship")

    @task(1)
    def write_message(self):
        relationship = self._relationship()
        if relationship:
            self.post(f"/mentoring/relationships/{relationship[0]}/messages/",
                      {"body": "Thank you for the advice on my research timeline."}, "send message")

    @task(1)
    def scholarly(self):
        self.page("/scholarly/", "scholarly board")

    @task(1)
    def who_looked(self):
        self.page("/records/who-looked/", "who looked at my records")

    @task(1)
    def preferences(self):
        self.post("/notifications/preferences/", {"message-in_app": "on", "message-email": "on"},
                  "save notification preferences")


class Mentor(Person):
    role = "mentor"
    fixed_count = 12

    @task(2)
    def mentee_profile(self):
        if self.me["relationships"]:
            self.page(f"/people/{random.choice(self.me['relationships'])[1]}/", "profile (a mentee)")

    @task(2)
    def mentoring(self):
        self.page("/mentoring/", "my mentoring")
        if self.me["relationships"]:
            relationship = random.choice(self.me["relationships"])
            self.page(f"/mentoring/relationships/{relationship[0]}/", "relationship")

    @task(1)
    def reply(self):
        if self.me["relationships"]:
            relationship = random.choice(self.me["relationships"])
            self.post(f"/mentoring/relationships/{relationship[0]}/messages/",
                      {"body": "Let's review the abstract draft next week."}, "send message")

    @task(1)
    def read_all(self):
        self.post("/notifications/read/", {}, "mark notifications read")


class Coordinator(Person):
    role = "coordinator"
    fixed_count = 8

    @task(2)
    def trainee_profile(self):
        if self.me["mentees"]:
            self.page(f"/people/{random.choice(self.me['mentees'])}/", "profile (a trainee)")

    @task(1)
    def open_records_with_reason(self):
        if self.me["mentees"]:
            mentee = random.choice(self.me["mentees"])
            self.page(f"/records/{mentee}/", "confidential records (reason form)")
            self.post(f"/records/{mentee}/", {"reason": "Preparing the semi-annual review meeting"},
                      "confidential records (opened with reason)", expect=(200,))

    @task(1)
    def program_scholarly(self):
        if self.me["programs"]:
            self.page(f"/scholarly/programs/{self.me['programs'][0]}/", "program scholarly board")

    @task(1)
    def import_page(self):
        self.page("/data/import/", "import page")


class NetworkCoordinator(Person):
    role = "network"
    fixed_count = 4

    @task(2)
    def mentor_profile(self):
        self.page(f"/people/{random.choice(self.me['mentors'])}/", "profile (a mentor)")

    @task(1)
    def api_profile(self):
        self.page(f"/api/people/{random.choice(self.me['mentors'])}", "api person")


class Admin(Person):
    role = "admin"
    fixed_count = 4

    @task(1)
    def admin_index(self):
        self.page("/admin/", "admin index")

    @task(1)
    def access_log_admin(self):
        self.page("/admin/audit/accesslog/", "admin access log")

    @task(1)
    def open_records_with_reason(self):
        mentee = random.choice(self.me["mentees"])
        self.post(f"/records/{mentee}/", {"reason": "Investigating a reported data error"},
                  "confidential records (opened with reason)", expect=(200,))
