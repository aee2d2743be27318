"""Least-privilege checks against moto: a moto_server that verifies SigV4 signatures and
evaluates IAM policies, principals whose only permissions are one of deploy/iam/*.json, and
reduced copies of a policy to show that each action in it is needed.

    from iam_harness import IamMoto, load_policy, moto_evaluable, outcome
    with IamMoto() as moto:
        policy = load_policy("instance-policy.json", Bucket="logs", Prefix="fleet", Group="web")
        moto.client("s3").create_bucket(Bucket="logs")              # set-up, as the admin
        instance = moto.principal("instance", moto_evaluable(policy)[0])
        instance.client("s3").put_object(...)                     # boto3, as that principal
        lifeboat("evacuate", ..., env=instance.env())             # the real binary, same
        outcome(lambda: instance.client("s3").get_object(...))    # "ok", "AccessDenied", ...

What moto 5.2 judges (read from moto/core/responses.py, moto/iam/access_control.py):
- Every request after the first INITIAL_NO_AUTH_ACTION_COUNT ones must carry a valid SigV4
  signature of a known access key, and the key's user (inline, attached and group policies)
  must be allowed "<service>:<Action>"; an explicit Deny wins.
- The resource it checks: S3 object and bucket ARNs, SQS queue ARNs (when the queue exists),
  IAM/STS ARNs. Every other service, autoscaling, ssm and logs included, is checked against
  the resource "*", so a statement scoped to an ARN never matches there. moto_evaluable()
  widens such statements to "*" (and says which); their ARNs are checked with
  resource_allowed() instead, moto's own evaluator fed the ARN AWS would authorize.
- Conditions in identity policies are not evaluated (they pass).
- The check runs before the operation, so an allowed call to an operation moto does not
  implement (autoscaling CompleteLifecycleAction, RecordLifecycleActionHeartbeat) ends in
  moto's "not implemented" 500: outcome() reports it as "not-implemented", distinct from
  "AccessDenied".
"""
import copy
import json
import os
import re
import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.parsers import ResponseParserError

from harness import REGION, Moto, base_env

ACCOUNT = "123456789012"  # moto's default account
POLICY_DIR = os.path.normpath(os.path.join(os.path.dirname(__file__), "../../deploy/iam"))
PLACEHOLDER = re.compile(r"\$\{([A-Za-z]+)\}")
# Services whose requests moto authorizes against the real resource ARN.
MOTO_RESOURCE_AWARE = {"s3", "sqs", "iam", "sts"}

_BOOTSTRAP_CALLS = 3  # create_user, put_user_policy, create_access_key for the harness admin
_NO_RETRIES = Config(retries={"total_max_attempts": 1})


def policy_path(name):
    return name if os.path.isabs(name) else os.path.join(POLICY_DIR, name)


def placeholders(text):
    """The ${Name} placeholders a policy text uses."""
    return set(PLACEHOLDER.findall(text))


def load_policy(name, **values):
    """deploy/iam/<name> (or a path) with every ${Key} replaced by values[Key], as a dict.
    Region and Account default to the harness's; a placeholder left without a value is an
    error, and so is a value for a placeholder the policy does not have."""
    with open(policy_path(name)) as f:
        text = f.read()
    values = {"Region": REGION, "Account": ACCOUNT, **values}
    used = placeholders(text)
    missing = used - set(values)
    if missing:
        raise ValueError(f"{name}: no value for {sorted(missing)}")
    unknown = set(values) - used - {"Region", "Account"}
    if unknown:
        raise ValueError(f"{name}: has no placeholder {sorted(unknown)}")
    return json.loads(PLACEHOLDER.sub(lambda m: values[m.group(1)], text))


def statements(policy):
    s = policy["Statement"]
    return s if isinstance(s, list) else [s]


def _as_list(v):
    return v if isinstance(v, list) else [v]


def actions(policy):
    """Every action the policy allows, in order."""
    out = []
    for st in statements(policy):
        out += _as_list(st.get("Action", []))
    return out


def without_action(policy, action):
    """A copy of the policy with `action` removed from every statement (statements left
    with no action are dropped)."""
    reduced = copy.deepcopy(policy)
    kept = []
    for st in statements(reduced):
        rest = [a for a in _as_list(st["Action"]) if a != action]
        if rest:
            st["Action"] = rest
            kept.append(st)
    if action not in actions(policy):
        raise ValueError(f"{action} is not in the policy")
    reduced["Statement"] = kept
    return reduced


def reduced_copies(policy):
    """(action, policy without that action) for every distinct action of the policy."""
    return [(a, without_action(policy, a)) for a in dict.fromkeys(actions(policy))]


def moto_evaluable(policy):
    """The policy as moto can judge it: statements naming services that moto authorizes
    against "*" get Resource "*". Returns (policy, [(Sid, original Resource), ...])."""
    widened, notes = copy.deepcopy(policy), []
    for st in statements(widened):
        services = {a.split(":", 1)[0] for a in _as_list(st["Action"])}
        if not services <= MOTO_RESOURCE_AWARE and st.get("Resource") != "*":
            notes.append((st.get("Sid"), st["Resource"]))
            st["Resource"] = "*"
    return widened, notes


def resource_allowed(policy, action, resource_arn):
    """moto's IAM evaluator on one action and resource ARN (conditions are not evaluated)."""
    from moto.iam.access_control import IAMPolicy, PermissionResult
    return IAMPolicy(json.dumps(policy)).is_action_permitted(action, resource_arn) == \
        PermissionResult.PERMITTED


def outcome(call, moto=None):
    """Runs call(); returns "ok", "AccessDenied", "not-implemented" (moto authorized the
    request but has no implementation of the operation; needs `moto` to read its log), or
    the error code."""
    mark = moto.log_size() if moto is not None else 0
    try:
        call()
        return "ok"
    except ClientError as e:
        err = e.response.get("Error", {})
        code, message = str(err.get("Code", "")), str(err.get("Message", ""))
        status = e.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        # JSON-protocol services (logs, ssm) get moto's XML AccessDenied body as the message.
        if code in ("AccessDenied", "AccessDeniedException") or (
                status == 403 and "<Code>AccessDenied</Code>" in message):
            return "AccessDenied"
        if status == 500 or code == "500":
            return _not_implemented_or(moto, mark, code or "500")
        return code
    except ResponseParserError as e:
        if "500 Internal Server Error" in str(e):
            return _not_implemented_or(moto, mark, "500")
        raise


def _not_implemented_or(moto, mark, fallback):
    """moto answers an operation it lacks with a bare 500 and logs NotImplementedError."""
    if moto is not None:
        deadline = time.time() + 2
        while True:
            if "action has not been implemented" in moto.log_text(mark):
                return "not-implemented"
            if time.time() > deadline:
                break
            time.sleep(0.05)
    return fallback


class Principal:
    """An IAM user whose only permissions are the given policy."""

    def __init__(self, moto, name, key_id, secret):
        self.moto, self.name, self.key_id, self.secret = moto, name, key_id, secret

    def client(self, service, **kw):
        return boto3.client(service, endpoint_url=self.moto.url, region_name=REGION,
                            aws_access_key_id=self.key_id, aws_secret_access_key=self.secret,
                            config=_NO_RETRIES, **kw)

    def env(self, **extra):
        """Environment for a subprocess (lifeboat, aws CLI) acting as this principal."""
        return base_env(AWS_ENDPOINT_URL=self.moto.url, AWS_ACCESS_KEY_ID=self.key_id,
                        AWS_SECRET_ACCESS_KEY=self.secret, **extra)

    def outcome(self, call):
        return outcome(call, self.moto)


class IamMoto:
    """A moto_server on 127.0.0.1 that checks signatures and IAM for every request after a
    bootstrap that creates the harness's administrator."""

    def __init__(self):
        self._moto = Moto(INITIAL_NO_AUTH_ACTION_COUNT=_BOOTSTRAP_CALLS)
        self.url = self._moto.url
        try:
            iam = self._moto.boto3("iam")
            iam.create_user(UserName="harness-admin")
            iam.put_user_policy(UserName="harness-admin", PolicyName="everything",
                                PolicyDocument=json.dumps({
                                    "Version": "2012-10-17",
                                    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
            key = iam.create_access_key(UserName="harness-admin")["AccessKey"]
            self.admin = Principal(self, "harness-admin", key["AccessKeyId"], key["SecretAccessKey"])
        except BaseException:
            self._moto.stop()
            raise
        self._count = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        self._moto.log.close()
        self._moto.stop()

    def log_size(self):
        return os.path.getsize(self._moto.log.name)

    def log_text(self, start=0):
        """moto_server's output from byte `start` on."""
        with open(self._moto.log.name, "rb") as f:
            f.seek(start)
            return f.read().decode(errors="replace")

    def client(self, service, **kw):
        """A boto3 client with the harness administrator's credentials (set-up calls)."""
        return self.admin.client(service, **kw)

    def principal(self, name, policy):
        """A new user with `policy` (a dict, a JSON string, or a deploy/iam file name with no
        placeholders) as its only inline policy."""
        if isinstance(policy, dict):
            policy = json.dumps(policy)
        elif not policy.lstrip().startswith("{"):
            with open(policy_path(policy)) as f:
                policy = f.read()
        self._count += 1
        user = f"{name}-{self._count}"
        iam = self.client("iam")
        iam.create_user(UserName=user)
        iam.put_user_policy(UserName=user, PolicyName="policy", PolicyDocument=policy)
        key = iam.create_access_key(UserName=user)["AccessKey"]
        return Principal(self, user, key["AccessKeyId"], key["SecretAccessKey"])


def start_with(fixture):
    """An IamMoto and `fixture(moto)` (a test module's set-up as the administrator); the
    server is stopped if the set-up fails."""
    moto = IamMoto()
    try:
        return moto, fixture(moto)
    except BaseException:
        moto.stop()
        raise
