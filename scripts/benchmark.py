"""Whole-process timings of `lambdalint check`, for the README's speed table (a script, never a
timed test).

    python scripts/benchmark.py                    # generated trees of two sizes + growth inputs
    python scripts/benchmark.py --tree PATH        # also a real tree (e.g. a git checkout)
    python scripts/benchmark.py --repeat 5 --skip-growth

For each tree: cold (`--no-cache`), warm with nothing changed, warm with one handler changed,
a pre-commit style run on two changed files, the peak RSS of the cold run, and the same tree
through pythaw, cfn-lint (+ cfn-lint-serverless) and checkov when they are installed, with
ratios. Growth inputs (one template of N functions, 2,500 and 5,000 by default, and one module
of M functions, 10,000 and 20,000) show whether a step is worse than linear. Every figure is the
median of `--repeat` runs (`--growth-repeat`, default 1, for the growth inputs: each takes
minutes; `--peer-repeat` for the peers).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

LAMBDALINT = [sys.executable, "-m", "lambdalint", "check", "--exit-zero", "--format", "concise"]

HANDLER = """\
import json
import os

import boto3

from shared.store import save

TABLE = os.environ["TABLE"]
s3 = boto3.client("s3")


def handler(event, context):
    sqs = boto3.client("sqs")
    for record in event["Records"]:
        body = json.loads(record["body"])
        save(TABLE, body)
        sqs.send_message(QueueUrl=os.environ["QUEUE"], MessageBody=json.dumps(body))
    return {{"statusCode": 200, "body": json.dumps({{"service": {n}}})}}
"""

STORE = """\
import boto3


def save(table, item):
    boto3.resource("dynamodb").Table(table).put_item(Item=item)
"""

CDK_APP = """\
from aws_cdk import App, Stack, aws_lambda as lambda_


class Service{n}(Stack):
    def __init__(self, scope, name):
        super().__init__(scope, name)
        lambda_.Function(self, "Fn", runtime=lambda_.Runtime.PYTHON_3_12, handler="app.handler",
                         code=lambda_.Code.from_asset("src"))


App().synth()
"""

TEST = """\
from unittest import mock

import app


def test_handler():
    with mock.patch("boto3.client"):
        assert app.handler({{"Records": []}}, None)["statusCode"] == 200
"""

TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Timeout: 10
Resources:
{functions}
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      AttributeDefinitions: [{{AttributeName: id, AttributeType: S}}]
      KeySchema: [{{AttributeName: id, KeyType: HASH}}]
      BillingMode: PAY_PER_REQUEST
  Queue:
    Type: AWS::SQS::Queue
"""

FUNCTION = """\
  Fn{i}:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Environment:
        Variables:
          TABLE: !Ref Table
          QUEUE: !Ref Queue
      Policies:
        - DynamoDBCrudPolicy: {{TableName: !Ref Table}}
      Events:
        Jobs:
          Type: SQS
          Properties:
            Queue: !GetAtt Queue.Arn
"""


def generate_tree(root: Path, services: int) -> Path:
    """A tree shaped like the public sample collections: per service a SAM template, a
    handler package with a shared helper, a CDK app and a test, in one git repository."""
    for n in range(services):
        service = root / f"service{n:04d}"
        (service / "src" / "shared").mkdir(parents=True)
        (service / "tests").mkdir()
        (service / "src" / "app.py").write_text(HANDLER.format(n=n))
        (service / "src" / "shared" / "__init__.py").write_text("")
        (service / "src" / "shared" / "store.py").write_text(STORE)
        (service / "cdk_app.py").write_text(CDK_APP.format(n=n))
        (service / "tests" / "test_app.py").write_text(TEST)
        functions = "".join(FUNCTION.format(i=i) for i in range(3))
        (service / "template.yaml").write_text(TEMPLATE.format(functions=functions))
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "tree")
    return root


def growth_template(root: Path, size: int) -> Path:
    """A directory holding one template of `size` functions."""
    root.mkdir(parents=True)
    functions = "".join(FUNCTION.format(i=i) for i in range(size))
    (root / "template.yaml").write_text(TEMPLATE.format(functions=functions))
    return root


def growth_module(root: Path, size: int) -> Path:
    """A directory holding one module of `size` functions, a hundred of them on the handler's
    path (each creating a client per invocation)."""
    root.mkdir(parents=True)
    body = ["import boto3\n"]
    for i in range(size):
        body.append(f"\ndef helper_{i}(event):\n    return boto3.client('s3').list_buckets()\n")
    body.append("\ndef handler(event, context):\n")
    body += [f"    helper_{i}(event)\n" for i in range(0, size, max(size // 100, 1))]
    (root / "app.py").write_text("".join(body))
    return root


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True)


class Failed(Exception):
    """A measured command did not run to its end: its time means nothing."""


def timed(command: list[str], cwd: Path, ok: tuple[int, ...] = (0,)) -> tuple[float, int]:
    """Wall time and peak RSS (MB) of one whole process. An exit code outside `ok` (a crash, a
    usage error, a pyenv shim without the tool) raises Failed: its time means nothing."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = code = os.waitstatus_to_exitcode(status)
        if code not in ok:
            errors.seek(0)
            last = errors.read().decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            raise Failed(f"{command[0]} exited {code}: {last[0][:200]}")
    return seconds, usage.ru_maxrss // 1024


def median_of(repeat: int, step: Callable[[], tuple[float, int]]) -> tuple[float, int]:
    runs = [step() for _ in range(repeat)]
    return statistics.median(t for t, _ in runs), max(rss for _, rss in runs)


def handlers_of(tree: Path) -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "*.py"], cwd=tree, capture_output=True, text=True, check=False
    ).stdout.split()
    found = [tree / name for name in listed if name.endswith("app.py")]
    return found or sorted(tree.rglob("*.py"))[:2]


def touch(path: Path, counter: list[int]) -> None:
    counter[0] += 1
    path.write_text(path.read_text() + f"\n# benchmark edit {counter[0]}\n")


def measure_tree(tree: Path, repeat: int) -> dict[str, tuple[float, int]]:
    """Cold, warm, one handler changed and pre-commit timings of lambdalint on `tree`."""
    cache = tree / ".lambdalint_cache"
    rows: dict[str, tuple[float, int]] = {}
    rows["cold"] = median_of(repeat, lambda: timed([*LAMBDALINT, "--no-cache", "."], tree))
    shutil.rmtree(cache, ignore_errors=True)
    timed([*LAMBDALINT, "."], tree)  # fill the cache
    rows["warm"] = median_of(repeat, lambda: timed([*LAMBDALINT, "."], tree))
    changed = handlers_of(tree)[:2]
    originals = {path: path.read_text() for path in changed}
    counter = [0]

    def one_changed() -> tuple[float, int]:
        touch(changed[0], counter)
        return timed([*LAMBDALINT, "."], tree)

    def pre_commit() -> tuple[float, int]:
        for path in changed:
            touch(path, counter)
        return timed([*LAMBDALINT, *(str(p.relative_to(tree)) for p in changed)], tree)

    try:
        rows["one handler changed"] = median_of(repeat, one_changed)
        rows["pre-commit, 2 files"] = median_of(repeat, pre_commit)
        rows["LSP edit (in process)"] = lsp_edit(tree, repeat)
    finally:
        for path, text in originals.items():
            path.write_text(text)
    return rows


LSP_EDIT = """\
import statistics, sys, time
from pathlib import Path
from lambdalint.config import load_settings
from lambdalint.engine.fix_request import FixRequest
from lambdalint.engine.session import Session

tree, repeat, text = Path(sys.argv[1]), int(sys.argv[2]), sys.stdin.read()
target = tree / "lambdalint_bench_lsp" / "app.py"
session = Session(load_settings([target]))
show = FixRequest("show", unsafe=True)  # what the language server asks for
session.check([target], {target: text}, show)  # the server's first analysis: facts in memory
times = []
for edit in range(repeat):
    edited = text.replace("return total", f"return total + {edit + 1}")
    started = time.perf_counter()
    session.check([target], {target: edited}, show)
    times.append(time.perf_counter() - started)
print(statistics.median(times))
"""


def big_handler(lines: int = 1000) -> str:
    """A handler module of about `lines` lines: helpers on the handler path, SDK calls."""
    body = ["import json\nimport os\n\nimport boto3\n\nTABLE = os.environ['TABLE']\n"]
    helpers = (lines - 20) // 4
    for i in range(helpers):
        body.append(f"\ndef helper_{i}(item):\n    value = item.get('k{i}')\n    return value\n")
    body.append("\ndef handler(event, context):\n    total = 0\n")
    body += [f"    total += len(str(helper_{i}(event)))\n" for i in range(0, helpers, 10)]
    body.append("    boto3.client('s3').list_buckets()\n    return total\n")
    return "".join(body)


def lsp_edit(tree: Path, repeat: int) -> tuple[float, int]:
    """A warm in-process session re-analysing one edited 1,000-line handler held in memory
    (the file need not exist: it is an editor's buffer); the rest of the tree is context."""
    done = subprocess.run(
        [sys.executable, "-c", LSP_EDIT, str(tree), str(repeat)],
        input=big_handler(),
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.split()[-1]), 0


# Each peer's command, and the exit codes of a run that went to its end (pythaw exits 1 when
# it finds something; cfn-lint and checkov are told not to; a traceback exits 1 for them).
PEERS = {
    "pythaw": (lambda tree: ["pythaw", "check", str(tree)], (0, 1)),
    "cfn-lint": (
        lambda tree: ["cfn-lint", "--non-zero-exit-code", "none", str(tree / "**/*.yaml")],
        (0,),
    ),
    "checkov": (
        lambda tree: ["checkov", "-d", str(tree), "--quiet", "--compact", "--soft-fail"],
        (0,),
    ),
}


def measure_peers(
    tree: Path, repeat: int, wanted: list[str] | None = None
) -> dict[str, tuple[float, int]]:
    rows = {}
    for name, (command, ok) in PEERS.items():
        if shutil.which(name) is None or (wanted is not None and name not in wanted):
            continue
        try:
            rows[name] = median_of(
                repeat, lambda command=command, ok=ok: timed(command(tree), tree, ok)
            )
        except Failed as exc:
            print(f"  {name}: not measured: {exc}", file=sys.stderr)
    return rows


def report(title: str, rows: dict[str, tuple[float, int]], peers: dict) -> None:
    print(f"\n{title}")
    print(f"  {'run':24} {'seconds':>8} {'peak MB':>8}" + "".join(f" {'/' + p:>10}" for p in peers))
    for name, (seconds, rss) in rows.items():
        ratios = "".join(f" {seconds / peers[p][0]:>9.2f}x" for p in peers)
        print(f"  {name:24} {seconds:8.2f} {rss:8d}{ratios}")
    for name, (seconds, rss) in peers.items():
        print(f"  {name + ' (peer)':24} {seconds:8.2f} {rss:8d}")


def growth(root: Path, sizes: dict[str, int], repeat: int) -> None:
    """Cold runs over one template of N functions and one module of M functions, at N and 2N
    (M and 2M): a ratio near 2.0 is linear growth."""
    print("\ngrowth (cold, --no-cache): size and twice the size, ratio 2.0 means linear")
    for kind, generate in (("template", growth_template), ("module", growth_module)):
        size, times = sizes[kind], []
        for n in (size, 2 * size):
            target = generate(root / f"{kind}-{n}", n)
            times.append(
                median_of(repeat, lambda t=target: timed([*LAMBDALINT, "--no-cache", "."], t))[0]
            )
        label = f"one {kind} of {size:,} / {2 * size:,} functions"
        print(
            f"  {label:40} {times[0]:7.2f} s -> {times[1]:7.2f} s  ratio {times[1] / times[0]:.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--tree", type=Path, action="append", default=[], help="a real tree")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--services", type=int, default=100, help="generated tree size (and 2x)")
    parser.add_argument(
        "--growth-size", type=int, default=2500, help="functions in the growth template (and 2x)"
    )
    parser.add_argument(
        "--module-growth-size", type=int, default=10000, help="functions in the growth module"
    )
    parser.add_argument(
        "--growth-repeat", type=int, default=1, help="runs per growth input (each takes minutes)"
    )
    parser.add_argument("--skip-generated", action="store_true")
    parser.add_argument("--skip-growth", action="store_true")
    parser.add_argument(
        "--peer-repeat", type=int, help="runs of each peer (default: --repeat; cfn-lint is slow)"
    )
    parser.add_argument(
        "--peer", action="append", choices=sorted(PEERS), help="only these peers (default: all)"
    )
    args = parser.parse_args()
    peer_repeat = args.peer_repeat or args.repeat

    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, repeat {args.repeat}")
    with tempfile.TemporaryDirectory(prefix="lambdalint-bench-") as scratch:
        root = Path(scratch)
        if not args.skip_generated:
            for services in (args.services, 2 * args.services):
                tree = generate_tree(root / f"tree-{services}", services)
                peers = measure_peers(tree, peer_repeat, args.peer)
                report(
                    f"generated tree, {services} services", measure_tree(tree, args.repeat), peers
                )
        for tree in args.tree:
            peers = measure_peers(tree.resolve(), peer_repeat, args.peer)
            report(f"tree {tree}", measure_tree(tree.resolve(), args.repeat), peers)
        if not args.skip_growth:
            sizes = {"template": args.growth_size, "module": args.module_growth_size}
            growth(root, sizes, args.growth_repeat)


if __name__ == "__main__":
    main()
