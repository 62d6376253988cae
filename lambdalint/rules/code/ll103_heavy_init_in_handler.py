from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import CodeContext, Reach
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import CodeRule, RuleMeta, register
from lambdalint.frontends.python.facts import OBJECT, STATIC, CallFact, Value

# Loaders of models and serialised assets: heavy whatever file they read.
MODEL_LOADERS = frozenset(
    {
        "pickle.load",
        "joblib.load",
        "torch.load",
        "torch.jit.load",
        "onnxruntime.InferenceSession",
        "tensorflow.keras.models.load_model",
        "tensorflow.saved_model.load",
        "keras.models.load_model",
        "keras.saving.load_model",
    }
)
# Parsers that are only static-asset loading when they read a file of the deployment package.
FILE_PARSERS = frozenset({"json.load", "yaml.safe_load", "yaml.load", "yaml.full_load"})
OPENERS = frozenset({"open", "io.open", "codecs.open"})
PACKAGE_ROOTS = ("/var/task/", "/opt/")


@register
class HeavyInitInHandler(CodeRule):
    """A model or static asset loaded on every invocation."""

    unreached_tokens = ()  # reports on handler code only
    meta = RuleMeta(
        id="LL103",
        name="heavy-init-in-handler",
        severity=Severity.WARNING,
        summary="A model or static asset is loaded on every invocation instead of once.",
        anchors=("AWS Lambda best practices: initialize outside the handler",),
    )

    def check(self, ctx: CodeContext) -> Iterator[Finding]:
        for call in ctx.facts.calls:
            what = _loads(ctx, call)
            if not what:
                continue
            reach = ctx.per_invocation(call)
            if reach is None or _per_request(ctx, call):
                continue
            yield self.report(ctx, call, reach, what)

    def report(self, ctx: CodeContext, call: CallFact, reach: Reach, what: str) -> Finding:
        return self.finding(
            ctx.call_ref(call.index),
            f"`{call.text}` loads {what} on every invocation ({reach.describe()}); "
            "load it once at module scope (or lazily, guarded by a module global) and reuse it",
            related=reach.related(),
            anchor=f"{ctx.facts.module}.{call.func}",
        )


def _loads(ctx: CodeContext, call: CallFact) -> str:
    callee = call.callee
    if callee in MODEL_LOADERS:
        return "a model or serialised asset"
    if callee.endswith(".from_pretrained") and not callee.startswith("@"):
        return "a pretrained model"
    if callee in FILE_PARSERS and call.args and _package_file(ctx, call.args[0]):
        return "a static file of the deployment package"
    return ""


def _package_file(ctx: CodeContext, value: Value) -> bool:
    """Whether a parser's argument is a file opened from the deployment package."""
    opened = ctx.call_at(value.origin) if value.kind == OBJECT else None
    if opened is None or opened.callee not in OPENERS or not opened.args:
        return False
    path = opened.args[0]
    if path.kind == STATIC and path.name == "__file__":  # built from __file__ or LAMBDA_TASK_ROOT
        return True
    text = path.text
    if not text or text.startswith("/tmp"):
        return False
    return not text.startswith("/") or text.startswith(PACKAGE_ROOTS)


def _per_request(ctx: CodeContext, call: CallFact) -> bool:
    """Loading what this request names (a model chosen by the event, a file it downloaded to a
    path it gave) must happen per request."""
    for value in call.values():
        if value.is_per_request:
            return True
        origin = ctx.call_at(value.origin) if value.kind == OBJECT else None
        if origin is not None and any(v.is_per_request for v in origin.values()):
            return True
    return False
