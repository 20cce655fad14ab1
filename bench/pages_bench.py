"""Everyday pages as production serves them: gunicorn (2 workers), production settings, PostgreSQL, the demo
scaled to one county of about 50,000 organizations, 16 concurrent clients; each page beside a bare Django JSON
view served by the same server in the same run.

    createdb -h 127.0.0.1 -U postgres sanxin_pages
    .venv/bin/python bench/pages_bench.py                      # DATABASE_URL defaults to …/sanxin_pages
    .venv/bin/python bench/pages_bench.py --duration 5 --only bare,org_list

What it does:
1. Migrates the database, loads the divisions of Jiangxi (36), seeds the demo and scales the organizations of
   东湖区 (360102) to --orgs with the generator of compare_bench.py (names as firms are named there, credit codes
   valid per GB 32100), stored through the registry's one write path (sanxin.orgs.writes.organizations_save),
   then recomputes coverage and refreshes the coverage facts so the coverage page is honest. Run again, it
   skips what is already there.
2. Collects the static files and starts gunicorn `config.wsgi` with 2 workers and production settings
   (SANXIN_DEBUG off, a secret key and the personal-data key file kept in --data-dir, Secure cookies, HTTPS
   redirect and HSTS on). As behind the TLS-terminating proxy of a deployment, SANXIN_BEHIND_PROXY=1 and the
   client sends `X-Forwarded-Proto: https`, so nothing of the production security settings is switched off.
   The only addition is bench.settings (ROOT_URLCONF=bench.urls), which adds `/bench/bare/`.
3. Logs in over HTTP as the county officer (dh_county) the way a person does: the login form, then the second
   factor with a TOTP code computed from the secret stored for the account's authenticator (django-otp's own
   TOTP; the bench enrols one through the second-factor service on the first run). Creates an API token for
   the API list through the token service.
4. Drives each target with --clients concurrent clients for --duration seconds (after a short warm-up) and
   prints req/s, p50, p95, errors and the share of the bare view's req/s.

The load generator is a minimal asyncio HTTP/1.1 client in this file (gunicorn's sync workers close every
connection, so each request is a new connection): it costs far less CPU per request than aiohttp or httpx,
which matters on 2 cores where the client shares the CPUs with the server. Its own CPU use is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import http.client
import io
import json
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COUNTY = "360102"  # 东湖区
STREET = "360102002"  # 滕王阁街道
PERSONA = "dh_county"
TOKEN_NAME = "页面基准测试"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/sanxin_pages"


# ------------------------------------------------------------------------------------------- settings


def production_environment(data_dir: Path, database_url: str) -> dict[str, str]:
    """The environment of both this process and the server: production settings, nothing from a demo env file."""
    data_dir.mkdir(parents=True, exist_ok=True)
    secret_file = data_dir / "secret-key"
    if not secret_file.exists():
        fd = os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SANXIN_", "DJANGO_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": database_url,
            "SANXIN_ENV_FILE": "",
            "SANXIN_DATA_DIR": str(data_dir),
            "SANXIN_KEY_FILE": str(data_dir / "sanxin.key"),
            "SANXIN_STATIC_ROOT": str(data_dir / "staticfiles"),
            "SANXIN_SECRET_KEY": secret_file.read_text().strip(),
            "SANXIN_DEBUG": "0",
            "SANXIN_DEMO": "1",  # seed_demo writes only into a database marked as a demo
            "SANXIN_ALLOWED_HOSTS": "127.0.0.1",
            "SANXIN_BEHIND_PROXY": "1",  # HTTPS ends at the proxy, which says so in X-Forwarded-Proto
            "SANXIN_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


# ------------------------------------------------------------------------------------------- data


def prepare_database(target_orgs: int) -> None:
    from django.core.management import call_command

    from sanxin.regions.models import Region

    call_command("migrate", verbosity=0)
    call_command("create_key_file", verbosity=0)
    if not Region.objects.filter(code="36").exists():
        started = time.perf_counter()
        call_command("load_regions", "--province", "36", verbosity=0)
        print(f"载入江西省区划：{time.perf_counter() - started:.1f} 秒")
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())  # the accounts are in the password file
    scale_county(target_orgs)


# A line of compare_bench's firm generator → (category, industry code) among the demo's industries.
CATEGORIES = {"私营企业": "private", "互联网平台企业": "platform"}
INDUSTRIES = {
    "快递": "6020",
    "外卖配送": "6242",
    "互联网": "64",
    "批发零售": "51",
    "住宿餐饮": "H",
    "居民服务": "80",
    "建筑业": "E",
    "文化": "88",
    "商务服务": "72",
    "农业": "Z",
    "制造业": "C",
    "科技服务": "72",
    "房地产": "K",
    "交通运输": "543",
}
SOCIAL = [
    ("南昌{}行业协会", "association", "7281"),
    ("江西{}律师事务所", "law_firm", "7231"),
    ("南昌{}社会工作服务中心", "social_service", "Z"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马胡朱郭何罗高林梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = ["建华", "丽娟", "志强", "海燕", "国平", "晓东", "春梅", "文斌", "永红", "新民", "明亮", "秀英", "俊杰", "桂兰", "伟"]
GENERATED_CODE = re.compile(rf"^91{COUNTY}[0-9]{{9}}[0-9A-Z]$")  # compare_bench's codes; the demo's carry "MA"


def scale_county(target: int) -> None:
    """Tops up the organizations of the county to `target` (none when it has them already)."""
    from django.db import connection

    from bench.compare_bench import FIRM_LINES, Generator, Places
    from sanxin.core.validators import validate_credit_code
    from sanxin.coverage.compute import recompute_all
    from sanxin.coverage.figures import refresh_facts
    from sanxin.orgs.models import Organization, RegistrationStatus, kind_of
    from sanxin.orgs.writes import organizations_save
    from sanxin.regions.models import Industry

    existing = Organization.objects.filter(region__code__startswith=COUNTY).count()
    if existing >= target * 0.99:
        print(f"{COUNTY} 已有 {existing:,} 个组织，跳过扩充")
        return
    started = time.perf_counter()
    places = Places()
    generator = Generator(places, seed=360102)
    made_before = [c for c in Organization.objects.filter(credit_code__startswith=f"91{COUNTY}").values_list("credit_code", flat=True)]
    generator.serial = sum(1 for code in made_before if GENERATED_CODE.match(code))  # new codes only
    rng = random.Random(existing)
    industries = {i.code: i.pk for i in Industry.objects.all()}
    line_of = {line: (CATEGORIES[category], INDUSTRIES[industry]) for line, category, industry in FIRM_LINES}
    communities = places.communities_of(COUNTY)
    heads: list[tuple[str, str]] = []
    created = []
    for _ in range(target - existing):
        community = rng.choice(communities)
        roll = rng.random()
        if roll < 0.05:  # a social organization
            pattern, category, industry = rng.choice(SOCIAL)
            name = pattern.format(generator.brand())
        elif roll < 0.12 and heads:  # a branch of a firm of the county
            head_name, line = rng.choice(heads)
            category, industry = line_of[line]
            name = f"{head_name}{places.short(community[:9])}{rng.choice(['分公司', '营业部', '服务站'])}{rng.randrange(1, 100)}"
        else:
            name, unique, _ = generator.firm_name(COUNTY)
            line = next(line for line, _, _ in FIRM_LINES if unique.endswith(line))
            category, industry = line_of[line]
            if len(heads) < 2000:
                heads.append((name, line))
        employees = rng.choice([3, 5, 8, 12, 20, 35, 60, 120, 300])
        formal = min(employees, rng.choices([0, 1, 2, 3, 5, 8], [55, 15, 10, 10, 6, 4])[0])
        created.append(
            Organization(
                credit_code=validate_credit_code(generator.credit_code(COUNTY)),
                name=name,
                kind=kind_of(category),
                category=category,
                industry_id=industries[industry],
                region_id=community,
                address=generator.address(community),
                legal_representative=rng.choice(SURNAMES) + rng.choice(GIVEN),
                employees=employees,
                formal_members=formal,
                probationary_members=min(employees - formal, rng.choice([0, 0, 0, 1])),
                established_on=date(rng.randrange(2000, 2026), rng.randrange(1, 13), rng.randrange(1, 29)),
                registration_status=RegistrationStatus.ACTIVE if rng.random() < 0.97 else RegistrationStatus.CANCELLED,
                is_above_scale=employees >= 100,
            )
        )
    organizations_save(created=created, updated=[], fields=[])
    inserted = time.perf_counter() - started
    changed = recompute_all()
    cells = refresh_facts()
    with connection.cursor() as cursor:  # as autovacuum leaves a table at rest: statistics, visibility map (index-only scans)
        cursor.execute("VACUUM ANALYZE")
    print(
        f"{COUNTY} 扩充 {len(created):,} 个组织（共 {target:,}）：生成并写入 {inserted:.1f} 秒；"
        f"覆盖重算 {changed:,} 个、统计 {cells:,} 格，共 {time.perf_counter() - started:.1f} 秒"
    )


def persona_credentials(data_dir: Path):
    """(user, password, TOTP device) of the county officer; enrols an authenticator on the first run."""
    from django_otp.oath import TOTP

    from sanxin.accounts import second_factor
    from sanxin.accounts.models import User
    from sanxin.demo.accounts import read_password_file

    user = User.objects.get(username=PERSONA)
    password = read_password_file(data_dir / "demo-accounts.txt").get(PERSONA)
    if not password:
        sys.exit(f"{data_dir / 'demo-accounts.txt'} 中没有 {PERSONA} 的密码：请换一个空数据库重新运行")
    if not second_factor.has_second_factor(user):
        device = second_factor.second_factor_enrol_start(user=user)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        second_factor.second_factor_enrol(user=user, device_id=device.pk, code=f"{totp.token():0{device.digits}d}")
    return user, password


def totp_code(user) -> str:
    """The authenticator's current code, waiting for the next time step if this one was used already."""
    from django_otp.oath import TOTP

    from sanxin.accounts.second_factor import confirmed_totp

    device = confirmed_totp(user)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    while device.last_t is not None and totp.t() <= device.last_t:
        time.sleep(1)
        totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def api_token(user) -> str:
    from sanxin.accounts.tokens import api_token_create, api_token_revoke

    for old in user.api_tokens.filter(name=TOKEN_NAME, revoked_at__isnull=True):
        api_token_revoke(actor=user, token=old)
    _, raw = api_token_create(actor=user, user=user, name=TOKEN_NAME, days=30)
    return raw


# ------------------------------------------------------------------------------------------- server


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    command += ["--error-logfile", "-", "--no-control-socket"]  # no access log: the proxy in front writes it
    server = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            status, _, _ = Session(port).get("/bench/bare/")
            if status == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None:
            sys.exit("gunicorn 未能启动")
        time.sleep(0.2)
    stop_server(server)
    sys.exit("gunicorn 30 秒内未就绪")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


@dataclass
class Session:
    """A browser talking to the server as over HTTPS behind the proxy: cookies kept, CSRF as Django checks it."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)

    def headers(self) -> dict[str, str]:
        headers = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https", **self.extra}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = self.headers()
        body = None
        if form is not None:
            from urllib.parse import urlencode

            body = urlencode(form)
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://127.0.0.1:{self.port}",
                "Referer": f"https://127.0.0.1:{self.port}{path}",
            }
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        text = response.read().decode("utf-8", "replace")
        connection.close()
        return response.status, response.getheader("Location") or "", text

    def get(self, path: str):
        return self.request("GET", path)

    def post_form(self, path: str, form: dict):
        status, _, page = self.get(path)
        if status != 200:
            sys.exit(f"{path} 答复 {status}")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        return self.request("POST", path, {"csrfmiddlewaretoken": html.unescape(token.group(1)), **form})


def log_in(port: int, user, password: str) -> Session:
    session = Session(port)
    status, location, _ = session.post_form("/accounts/login/", {"username": user.username, "password": password})
    if status != 302:
        sys.exit(f"登录失败（{status}）")
    status, location, _ = session.get(location)
    while status == 302 and "second-factor" in location:
        path = location.split("://", 1)[-1].split("/", 1)[-1]
        status, location, _ = session.post_form("/" + path.lstrip("/"), {"code": totp_code(user)})
    status, _, _ = session.get("/orgs/")
    if status != 200:
        sys.exit(f"登录后名录页答复 {status}")
    return session


# ------------------------------------------------------------------------------------------- load


@dataclass
class Result:
    label: str
    requests: int
    errors: int
    seconds: float
    latencies: list[float]
    client_cpu: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else float("nan")


async def _one(port: int, payload: bytes) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(payload)
    data = await reader.read()  # gunicorn's sync worker closes the connection after the response
    writer.close()
    return int(data[9:12]) if data[:5] == b"HTTP/" else 0


async def _drive(port: int, payload: bytes, clients: int, seconds: float, latencies: list[float] | None) -> tuple[int, int]:
    deadline = time.perf_counter() + seconds
    done = errors = 0

    async def client():
        nonlocal done, errors
        while (started := time.perf_counter()) < deadline:
            try:
                status = await _one(port, payload)
            except OSError:
                status = 0
            if latencies is not None:
                latencies.append(time.perf_counter() - started)
            done += 1
            errors += status != 200

    await asyncio.gather(*(client() for _ in range(clients)))
    return done, errors


def load(label: str, port: int, path: str, headers: dict[str, str], clients: int, seconds: float, warmup: float) -> Result:
    lines = [f"GET {path} HTTP/1.1", *(f"{k}: {v}" for k, v in headers.items()), "Connection: close", "", ""]
    payload = "\r\n".join(lines).encode()
    asyncio.run(_drive(port, payload, clients, warmup, None))
    latencies: list[float] = []
    cpu, started = time.process_time(), time.perf_counter()
    done, errors = asyncio.run(_drive(port, payload, clients, seconds, latencies))
    wall = time.perf_counter() - started
    return Result(label, done, errors, wall, latencies, (time.process_time() - cpu) / wall)


# ------------------------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", type=int, default=50_000, help="organizations of 东湖区 (360102) after scaling")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds each target is measured")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of load before each measurement")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--data-dir", default=str(ROOT / "data" / "pages-bench"), help="secret key, key file, static files, passwords")
    parser.add_argument("--only", default="", help="comma-separated target names (bare is always run)")
    args = parser.parse_args()
    data_dir = Path(args.data_dir)
    env = production_environment(data_dir, os.environ.get("DATABASE_URL", DEFAULT_DATABASE))
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("请用 DATABASE_URL 指向 PostgreSQL 运行本基准")
    assert not settings.DEBUG and settings.SESSION_COOKIE_SECURE and settings.SECURE_SSL_REDIRECT
    prepare_database(args.orgs)
    call_command("collectstatic", interactive=False, verbosity=0)
    user, password = persona_credentials(data_dir)
    token = api_token(user)

    from sanxin.orgs.models import Organization

    detail = Organization.objects.filter(region__code__startswith=STREET, parent__isnull=False).order_by("pk").first()
    visible = Organization.objects.filter(region__code__startswith=COUNTY).count()
    connection.close()
    targets = [
        ("bare", "裸 Django JSON 视图 /bench/bare/", "/bench/bare/", "anonymous"),
        ("org_list", "组织名录 50 行（不筛选）", "/orgs/?size=50", "session"),
        ("org_list_filtered", f"组织名录 50 行（街道 {STREET} + 空白点）", f"/orgs/?size=50&region={STREET}&coverage=blank", "session"),
        ("org_detail", "组织详情", f"/orgs/{detail.pk}/", "session"),
        ("coverage", "覆盖情况页", "/coverage/", "session"),
        ("api_orgs", "API 组织列表 50 行（令牌）", "/api/v1/orgs?limit=50", "token"),
    ]
    wanted = {"bare", *filter(None, args.only.split(","))}
    targets = [t for t in targets if not args.only or t[0] in wanted]

    server = start_server(env, args.port, args.workers)
    try:
        session = log_in(args.port, user, password)
        clients = {
            "anonymous": Session(args.port),
            "session": session,
            "token": Session(args.port, extra={"Authorization": f"Bearer {token}"}),
        }
        for name, _, path, who in targets:  # each answers 200 with what it should before it is timed
            status, _, body = clients[who].get(path)
            if status != 200:
                sys.exit(f"{name} {path} 答复 {status}")
            if name == "api_orgs" and len(json.loads(body)["items"]) != 50:
                sys.exit("API 列表不是 50 行")
        print(
            f"\n东湖区 {visible:,} 个组织；gunicorn {args.workers} 个工作进程；{args.clients} 个并发客户端，"
            f"每项预热 {args.warmup:g} 秒、计时 {args.duration:g} 秒；负载 {os.getloadavg()[0]:.2f}\n"
        )
        results = []
        for name, label, path, who in targets:
            result = load(label, args.port, path, clients[who].headers(), args.clients, args.duration, args.warmup)
            results.append(result)
            print(
                f"  {name:<18} {result.rate:8,.0f} req/s  p50 {result.percentile(0.5):6.1f} ms  p95 {result.percentile(0.95):6.1f} ms  "
                f"错误 {result.errors}  客户端 CPU {result.client_cpu:.0%}",
                flush=True,
            )
    finally:
        stop_server(server)
    bare = results[0].rate
    print("\n| 页面 | req/s | p50 ms | p95 ms | 错误 | 占裸视图 |\n|---|---|---|---|---|---|")
    for result in results:
        print(
            f"| {result.label} | {result.rate:,.0f} | {result.percentile(0.5):.1f} | {result.percentile(0.95):.1f} | "
            f"{result.errors} | {result.rate / bare:.1%} |"
        )
    print(f"\n负载（1 分钟平均）{os.getloadavg()[0]:.2f}；客户端平均占用 {statistics.mean(r.client_cpu for r in results):.0%} 个核")


if __name__ == "__main__":
    main()
