"""deploy/cloudformation/lifeboat.yaml through the real aws CLI against moto_server, and the
Run Command document deploy/ssm/lifeboat-evacuate.json.

moto 5.2 creates every resource of the template except two, and drops some properties of
another (read from moto/cloudformation/parsing.py and each model's
create_from_cloudformation_json); MotoGapsTest pins exactly what it leaves out, and
TemplateTest checks those parts in the template itself:
- AWS::AutoScaling::LifecycleHook and AWS::S3::BucketPolicy: no CloudFormation support
  ("No Moto CloudFormation support"); the stack completes without them.
- AWS::S3::Bucket: only BucketName, BucketEncryption and Tags are applied;
  LifecycleConfiguration, PublicAccessBlockConfiguration and OwnershipControls are ignored.
- AWS::Lambda::Function: Architectures is ignored (moto's default is x86_64 anyway).
- AWS::SSM::Document: created, but moto keeps the inline content as an object, so
  GetDocument returns it unserialized and DescribeDocument fails with a 500.
- AWS::IAM::Role inline policies are stored as Python reprs, not JSON.
- A stack made through a change set (aws cloudformation deploy) has no Outputs.

Because of the bucket's ignored LifecycleConfiguration, LogBucketLifecycleTest resolves it
from the template itself for given parameters (Conditions, Fn::If, AWS::NoValue, Fn::Sub, with
parameters as strings as CloudFormation passes them), puts the result on the stack's bucket
with `aws s3api put-bucket-lifecycle-configuration` and reads it back. moto's S3 lifecycle API
checks less than S3 (MotoGapsTest): it accepts an expiration that is not later than the
transition in the same rule (S3 refuses it, and CloudFormation then rolls back), and it always
reports TransitionDefaultMinimumObjectSize as all_storage_classes_128K, whatever was put.
"""
import ast
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
import zipfile

import yaml
from botocore.config import Config
from botocore.exceptions import ClientError

from harness import REGION, Moto, base_env, run
from iam_harness import ACCOUNT, load_policy

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATE = os.path.normpath(os.path.join(HERE, "../../deploy/cloudformation/lifeboat.yaml"))
DOCUMENT_FILE = os.path.normpath(os.path.join(HERE, "../../deploy/ssm/lifeboat-evacuate.json"))
CODE_BUCKET, CODE_KEY = "lifeboat-artifacts", "controller/lifeboat-lambda.zip"
STACK, GROUP = "lifeboat", "web"

# The command line the document runs, exactly (the C++ side implements these flags); exec,
# so that the shell neither outlives lifeboat nor replaces its exit code with its own.
COMMAND = ("exec lifeboat evacuate --to '{{ destination }}' --complete-lifecycle --asg '{{ groupName }}' "
           "--hook '{{ hookName }}' --token '{{ token }}' --on-failure '{{ onFailure }}' "
           "--pre-stop '{{ preStop }}' --time-scale '{{ timeScale }}' {{ paths }}")
PARAMETER = re.compile(r"\{\{\s*(\w+)\s*\}\}")


class CfnLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short-form tags (!Ref X -> {"Ref": X}, !Sub s -> {"Fn::Sub": s})."""


def _cfn_tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {"Ref" if suffix == "Ref" else "Fn::" + suffix: value}


CfnLoader.add_multi_constructor("!", _cfn_tag)


def template():
    with open(TEMPLATE) as f:
        return yaml.load(f, Loader=CfnLoader)


def document():
    with open(DOCUMENT_FILE) as f:
        return json.load(f)


def policy_document(value):
    """An inline policy as moto returns it: JSON, or (CloudFormation-made) a Python repr."""
    if isinstance(value, dict):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return ast.literal_eval(value)


NO_VALUE = object()  # AWS::NoValue: the property or list item is left out


def resolve(node, t, values):
    """A template fragment as CloudFormation resolves it: Ref to parameters and AWS::NoValue,
    Fn::If, Fn::Sub of parameters. Any other function fails, so that the template cannot use
    one this does not follow."""
    if isinstance(node, dict) and len(node) == 1:
        (fn, arg), = node.items()
        if fn == "Ref":
            return NO_VALUE if arg == "AWS::NoValue" else values[arg]
        if fn == "Fn::If":
            name, yes, no = arg
            return resolve(yes if condition(t["Conditions"][name], t, values) else no, t, values)
        if fn == "Fn::Sub":
            return re.sub(r"\$\{(\w+)\}", lambda m: values[m.group(1)], arg)
        if fn.startswith("Fn::"):
            raise AssertionError(f"{fn} is not resolved here")
    if isinstance(node, dict):
        return {k: r for k, v in node.items() if (r := resolve(v, t, values)) is not NO_VALUE}
    if isinstance(node, list):
        return [r for v in node if (r := resolve(v, t, values)) is not NO_VALUE]
    return node


def condition(node, t, values):
    (fn, arg), = node.items()
    if fn == "Condition":
        return condition(t["Conditions"][arg], t, values)
    if fn == "Fn::Equals":  # CloudFormation compares the values as strings
        return str(resolve(arg[0], t, values)) == str(resolve(arg[1], t, values))
    if fn == "Fn::Not":
        return not condition(arg[0], t, values)
    if fn == "Fn::Or":
        return any(condition(c, t, values) for c in arg)
    if fn == "Fn::And":
        return all(condition(c, t, values) for c in arg)
    raise AssertionError(f"{fn} is not a condition function")


def bucket_lifecycle(**parameters):
    """LogBucket's LifecycleConfiguration as CloudFormation resolves it for these parameters
    (the others at their defaults), in the shape of the S3 API: (rules, default minimum object
    size for transitions)."""
    t = template()
    values = {k: str(v["Default"]) for k, v in t["Parameters"].items() if "Default" in v}
    values.update({k: str(v) for k, v in parameters.items()})
    cfn = resolve(t["Resources"]["LogBucket"]["Properties"]["LifecycleConfiguration"], t, values)
    rules = []
    for r in cfn["Rules"]:
        known = {"Id", "Status", "Prefix", "AbortIncompleteMultipartUpload", "ExpirationInDays", "Transitions"}
        if set(r) - known:
            raise AssertionError(f"rule properties not mapped to the S3 API here: {set(r) - known}")
        rule = {"ID": r["Id"], "Status": r["Status"], "Filter": {"Prefix": r.get("Prefix", "")}}
        if "AbortIncompleteMultipartUpload" in r:
            rule["AbortIncompleteMultipartUpload"] = {
                "DaysAfterInitiation": int(r["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"])}
        if "ExpirationInDays" in r:
            rule["Expiration"] = {"Days": int(r["ExpirationInDays"])}
        if "Transitions" in r:
            rule["Transitions"] = [{"Days": int(x["TransitionInDays"]), "StorageClass": x["StorageClass"]}
                                   for x in r["Transitions"]]
        rules.append(rule)
    return rules, cfn["TransitionDefaultMinimumObjectSize"]


ABORT_RULE = {"ID": "abort-incomplete-multipart-uploads", "Status": "Enabled", "Filter": {"Prefix": ""},
              "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}}


def aged_rule(prefix="fleet/", expire=None, glacier_ir=None):
    rule = {"ID": "shipped-logs-by-age", "Status": "Enabled", "Filter": {"Prefix": prefix}}
    if expire is not None:
        rule["Expiration"] = {"Days": expire}
    if glacier_ir is not None:
        rule["Transitions"] = [{"Days": glacier_ir, "StorageClass": "GLACIER_IR"}]
    return rule


moto = None
env = None


def setUpModule():
    global moto, env
    moto = Moto()
    try:
        env = base_env(AWS_ENDPOINT_URL=moto.url)
        s3 = moto.boto3("s3")
        s3.create_bucket(Bucket=CODE_BUCKET)
        code = io.BytesIO()
        with zipfile.ZipFile(code, "w") as z:
            z.writestr("bootstrap", "#!/bin/sh\n# stands in for the lifeboat binary\n")
        s3.put_object(Bucket=CODE_BUCKET, Key=CODE_KEY, Body=code.getvalue())
        moto.boto3("ec2").create_launch_template(
            LaunchTemplateName="fleet", LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.micro"})
        for name in (GROUP, "api"):
            moto.boto3("autoscaling").create_auto_scaling_group(
                AutoScalingGroupName=name, LaunchTemplate={"LaunchTemplateName": "fleet"},
                MinSize=0, MaxSize=2, DesiredCapacity=1, AvailabilityZones=[f"{REGION}a"])
        create_stack(STACK)
    except BaseException:
        moto.stop()
        raise


def create_stack(name, **parameters):
    """aws cloudformation create-stack with the code location and these parameters; waits."""
    given = {"CodeS3Bucket": CODE_BUCKET, "CodeS3Key": CODE_KEY, **parameters}
    run(["aws", "cloudformation", "create-stack", "--stack-name", name,
         "--template-body", f"file://{TEMPLATE}", "--capabilities", "CAPABILITY_IAM",
         "--parameters", *(f"ParameterKey={k},ParameterValue={v}" for k, v in given.items())],
        env=env, check=True, timeout=120)
    run(["aws", "cloudformation", "wait", "stack-create-complete", "--stack-name", name],
        env=env, check=True, timeout=120)


def tearDownModule():
    moto.log.close()
    moto.stop()


def stack(name=STACK):
    return moto.boto3("cloudformation").describe_stacks(StackName=name)["Stacks"][0]


def outputs(name=STACK):
    return {o["OutputKey"]: o["OutputValue"] for o in stack(name)["Outputs"]}


def physical_ids(name=STACK):
    resources = moto.boto3("cloudformation").describe_stack_resources(StackName=name)["StackResources"]
    return {r["LogicalResourceId"]: r.get("PhysicalResourceId") for r in resources if r.get("LogicalResourceId")}


class TemplateTest(unittest.TestCase):
    """What the template says, read as YAML (also where moto cannot show it)."""

    def setUp(self):
        self.t = template()
        self.r = self.t["Resources"]

    def test_aws_validates_it(self):
        p = run(["aws", "cloudformation", "validate-template", "--template-body", f"file://{TEMPLATE}"],
                env=env, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr_text)
        self.assertIn("lifeboat", json.loads(p.stdout_text)["Description"])

    def test_only_the_code_location_has_no_default(self):
        without = sorted(k for k, v in self.t["Parameters"].items() if "Default" not in v)
        self.assertEqual(without, ["CodeS3Bucket", "CodeS3Key"])

    def test_outputs(self):
        self.assertLessEqual({"LogBucketName", "ControllerFunctionArn", "InstanceProfileArn", "DocumentName"},
                             set(self.t["Outputs"]))

    def test_the_hook_holds_terminating_instances_of_the_group(self):
        hook = self.r["TerminateHook"]
        self.assertEqual(hook["Type"], "AWS::AutoScaling::LifecycleHook")
        p = hook["Properties"]
        self.assertEqual(p["LifecycleTransition"], "autoscaling:EC2_INSTANCE_TERMINATING")
        self.assertEqual(p["DefaultResult"], "CONTINUE")
        self.assertEqual(p["AutoScalingGroupName"], {"Ref": "AutoScalingGroupName"})
        self.assertEqual(self.t["Parameters"]["AutoScalingGroupName"]["Default"], "web")
        self.assertEqual(p["HeartbeatTimeout"], {"Ref": "HeartbeatTimeout"})
        self.assertEqual(self.t["Parameters"]["HeartbeatTimeout"]["Default"], 300)
        self.assertEqual(p["LifecycleHookName"], {"Ref": "LifecycleHookName"})

    def test_the_bucket_aborts_stale_uploads_blocks_public_access_and_encrypts(self):
        bucket = self.r["LogBucket"]
        self.assertEqual(bucket["DeletionPolicy"], "Retain")
        p = bucket["Properties"]
        for parameters in ({}, {"LogObjectExpirationDays": 400, "GlacierInstantRetrievalAfterDays": 30}):
            rules, _ = bucket_lifecycle(**parameters)
            self.assertEqual(rules[0], ABORT_RULE)
        self.assertEqual(p["PublicAccessBlockConfiguration"], {
            "BlockPublicAcls": True, "BlockPublicPolicy": True,
            "IgnorePublicAcls": True, "RestrictPublicBuckets": True})
        self.assertEqual(p["BucketEncryption"]["ServerSideEncryptionConfiguration"],
                         [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}])
        policy = self.r["LogBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
        self.assertEqual([(s["Effect"], s["Condition"]) for s in policy],
                         [("Deny", {"Bool": {"aws:SecureTransport": "false"}})])

    def test_log_objects_are_kept_in_standard_forever_unless_asked(self):
        params = self.t["Parameters"]
        for name in ("LogObjectExpirationDays", "GlacierInstantRetrievalAfterDays"):
            with self.subTest(name):
                self.assertEqual((params[name]["Type"], params[name]["Default"], params[name]["MinValue"]),
                                 ("Number", 0, 0))
        # S3 refuses an expiration not later than the transition; Rules cannot compare numbers,
        # so the parameters say it.
        self.assertIn("GlacierInstantRetrievalAfterDays", params["LogObjectExpirationDays"]["Description"])
        self.assertEqual(bucket_lifecycle(), ([ABORT_RULE], "all_storage_classes_128K"))
        self.assertEqual(bucket_lifecycle(LogObjectExpirationDays=0, GlacierInstantRetrievalAfterDays=0),
                         ([ABORT_RULE], "all_storage_classes_128K"))

    def test_expiration_and_glacier_instant_retrieval_by_age_under_the_log_prefix(self):
        cases = [
            ({"LogObjectExpirationDays": 90}, aged_rule(expire=90)),
            ({"GlacierInstantRetrievalAfterDays": 30}, aged_rule(glacier_ir=30)),
            ({"LogObjectExpirationDays": 400, "GlacierInstantRetrievalAfterDays": 30},
             aged_rule(expire=400, glacier_ir=30)),
            ({"LogObjectExpirationDays": 1, "GlacierInstantRetrievalAfterDays": 0}, aged_rule(expire=1)),
            ({"LogObjectExpirationDays": 731, "LogPrefix": "api/logs"}, aged_rule("api/logs/", expire=731)),
        ]
        for parameters, rule in cases:
            with self.subTest(**parameters):
                self.assertEqual(bucket_lifecycle(**parameters), ([ABORT_RULE, rule], "all_storage_classes_128K"))

    def test_the_document_in_the_template_is_the_file_with_a_default_destination(self):
        content = self.r["EvacuateDocument"]["Properties"]["Content"]
        expected = document()
        expected["parameters"]["destination"]["default"] = {"Fn::Sub": "s3://${LogBucket}/${LogPrefix}"}
        self.assertEqual(content, expected)


class StackTest(unittest.TestCase):
    """What `aws cloudformation create-stack` made in moto."""

    @classmethod
    def setUpClass(cls):
        cls.out = outputs()
        cls.ids = physical_ids()
        cls.bucket = cls.out["LogBucketName"]

    def test_the_stack_completed_with_only_the_code_location_given(self):
        s = stack()
        self.assertEqual(s["StackStatus"], "CREATE_COMPLETE")
        params = {p["ParameterKey"]: p["ParameterValue"] for p in s["Parameters"]}
        self.assertEqual(params["AutoScalingGroupName"], GROUP)
        self.assertEqual(params["HeartbeatTimeout"], "300")
        self.assertEqual(self.out["Destination"], f"s3://{self.bucket}/fleet")

    def test_the_bucket_is_encrypted(self):
        enc = moto.boto3("s3").get_bucket_encryption(Bucket=self.bucket)
        rules = enc["ServerSideEncryptionConfiguration"]["Rules"]
        self.assertEqual([r["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] for r in rules], ["AES256"])

    def test_the_document_is_the_file_with_the_stacks_destination(self):
        self.assertEqual(self.out["DocumentName"], "lifeboat-evacuate")
        got = moto.boto3("ssm").get_document(Name="lifeboat-evacuate")
        self.assertEqual(got["DocumentType"], "Command")
        content = got["Content"] if isinstance(got["Content"], dict) else json.loads(got["Content"])
        expected = document()
        expected["parameters"]["destination"]["default"] = f"s3://{self.bucket}/fleet"
        self.assertEqual(content, expected)

    def test_the_controller_function(self):
        fn = moto.boto3("lambda").get_function(FunctionName="lifeboat-controller")["Configuration"]
        self.assertEqual(fn["FunctionArn"], self.out["ControllerFunctionArn"])
        self.assertEqual((fn["Runtime"], fn["Handler"], fn["Architectures"]),
                         ("provided.al2023", "bootstrap", ["x86_64"]))
        self.assertEqual(fn["Timeout"], 900)
        role = moto.boto3("iam").get_role(RoleName=self.ids["ControllerRole"])["Role"]
        self.assertEqual(fn["Role"], role["Arn"])
        variables = {k: str(v) for k, v in fn["Environment"]["Variables"].items()}
        self.assertEqual(variables, {
            "LIFEBOAT_DOCUMENT": "lifeboat-evacuate",
            "LIFEBOAT_DESTINATION": f"s3://{self.bucket}/fleet",
            "LIFEBOAT_ON_FAILURE": "ABANDON",
            "LIFEBOAT_COMMAND_TIMEOUT": "3600",
            "LIFEBOAT_PARAMETERS": "{}",
        })
        groups = moto.boto3("logs").describe_log_groups(logGroupNamePrefix="/aws/lambda/lifeboat-controller")
        self.assertEqual([(g["logGroupName"], g.get("retentionInDays")) for g in groups["logGroups"]],
                         [("/aws/lambda/lifeboat-controller", 30)])

    def test_the_rule_sends_this_groups_terminate_actions_to_the_controller(self):
        events = moto.boto3("events")
        rule = events.describe_rule(Name=self.ids["LifecycleRule"])
        self.assertEqual(rule["State"], "ENABLED")
        self.assertEqual(json.loads(rule["EventPattern"]), {
            "source": ["aws.autoscaling"],
            "detail-type": ["EC2 Instance-terminate Lifecycle Action"],
            "detail": {"AutoScalingGroupName": [GROUP], "LifecycleHookName": ["lifeboat"]},
        })
        targets = events.list_targets_by_rule(Rule=self.ids["LifecycleRule"])["Targets"]
        self.assertEqual([t["Arn"] for t in targets], [self.out["ControllerFunctionArn"]])
        policy = json.loads(moto.boto3("lambda").get_policy(FunctionName="lifeboat-controller")["Policy"])
        self.assertEqual([(s["Effect"], s["Action"], s["Principal"], s["Condition"]) for s in policy["Statement"]],
                         [("Allow", "lambda:InvokeFunction", {"Service": "events.amazonaws.com"},
                           {"ArnLike": {"AWS:SourceArn": rule["Arn"]}})])

    def role_policies(self, role):
        iam = moto.boto3("iam")
        names = iam.list_role_policies(RoleName=role)["PolicyNames"]
        return {n: policy_document(iam.get_role_policy(RoleName=role, PolicyName=n)["PolicyDocument"])
                for n in names}

    def trusted_service(self, role):
        trust = policy_document(moto.boto3("iam").get_role(RoleName=role)["Role"]["AssumeRolePolicyDocument"])
        return [(s["Principal"]["Service"], s["Action"]) for s in trust["Statement"]]

    def test_the_controller_role_has_exactly_the_controller_policy(self):
        role = self.ids["ControllerRole"]
        self.assertEqual(self.trusted_service(role), [("lambda.amazonaws.com", "sts:AssumeRole")])
        self.assertEqual(self.role_policies(role), {
            "lifeboat-controller": load_policy("controller-policy.json", Group=GROUP,
                                               Document="lifeboat-evacuate", Function="lifeboat-controller")})

    def test_the_instance_role_has_the_instance_and_run_command_policies(self):
        role = self.ids["InstanceRole"]
        self.assertEqual(self.trusted_service(role), [("ec2.amazonaws.com", "sts:AssumeRole")])
        self.assertEqual(self.role_policies(role), {
            "lifeboat-instance": load_policy("instance-policy.json", Bucket=self.bucket, Prefix="fleet", Group=GROUP),
            "lifeboat-run-command": load_policy("instance-run-command-policy.json"),
        })
        profiles = moto.boto3("iam").list_instance_profiles()["InstanceProfiles"]
        profile = next(p for p in profiles if p["Arn"] == self.out["InstanceProfileArn"])
        self.assertEqual([r["RoleName"] for r in profile["Roles"]], [role])


class LogBucketLifecycleTest(unittest.TestCase):
    """Stacks with retention and transition set, and with both 0 (the defaults, given
    explicitly): moto creates them but leaves out the bucket's lifecycle configuration, so the
    configuration the template resolves to is put on each stack's bucket through the aws CLI
    and read back."""

    STACKS = {
        "lifeboat-aged": ({"LogObjectExpirationDays": 400, "GlacierInstantRetrievalAfterDays": 30},
                          [ABORT_RULE, aged_rule(expire=400, glacier_ir=30)]),
        "lifeboat-zero": ({"LogObjectExpirationDays": 0, "GlacierInstantRetrievalAfterDays": 0}, [ABORT_RULE]),
    }

    @classmethod
    def setUpClass(cls):
        for name, (parameters, _) in cls.STACKS.items():
            suffix = name.split("-", 1)[1]
            create_stack(name, DocumentName=f"lifeboat-evacuate-{suffix}", FunctionName=f"lifeboat-{suffix}",
                         LifecycleHookName=f"lifeboat-{suffix}", **parameters)

    def s3api(self, *args):
        p = run(["aws", "s3api", *args], env=env, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr_text)
        return json.loads(p.stdout_text) if p.stdout_text.strip() else None

    def test_each_stack_gets_its_rules(self):
        for name, (parameters, expected) in self.STACKS.items():
            with self.subTest(name):
                s = stack(name)
                self.assertEqual(s["StackStatus"], "CREATE_COMPLETE")
                given = {p["ParameterKey"]: p["ParameterValue"] for p in s["Parameters"]}
                self.assertEqual({k: given[k] for k in parameters}, {k: str(v) for k, v in parameters.items()})
                bucket = outputs(name)["LogBucketName"]
                # moto 5.2 made the bucket without the template's lifecycle configuration; a moto
                # that applies it fails here: then read it back instead of putting it.
                p = run(["aws", "s3api", "get-bucket-lifecycle-configuration", "--bucket", bucket],
                        env=env, timeout=60)
                self.assertNotEqual(p.returncode, 0)
                self.assertIn("NoSuchLifecycleConfiguration", p.stderr_text)
                rules, minimum = bucket_lifecycle(**parameters)
                self.assertEqual(rules, expected)
                self.s3api("put-bucket-lifecycle-configuration", "--bucket", bucket,
                           "--lifecycle-configuration", json.dumps({"Rules": rules}),
                           "--transition-default-minimum-object-size", minimum)
                got = self.s3api("get-bucket-lifecycle-configuration", "--bucket", bucket)
                self.assertEqual(got["Rules"], expected)


class MotoGapsTest(unittest.TestCase):
    """What moto 5.2 leaves out of the stack, pinned so that a moto that learns it shows up
    here (then check the real thing instead). TemplateTest checks these parts."""

    def setUp(self):
        self.s3 = moto.boto3("s3")
        self.bucket = outputs()["LogBucketName"]

    def assertErrorCode(self, code, call):
        with self.assertRaises(ClientError) as e:
            call()
        self.assertEqual(e.exception.response["Error"]["Code"], code)

    def test_no_lifecycle_hook_resource(self):
        hooks = moto.boto3("autoscaling").describe_lifecycle_hooks(AutoScalingGroupName=GROUP)["LifecycleHooks"]
        self.assertEqual(hooks, [])
        self.assertNotIn("TerminateHook", physical_ids())
        self.assertIn("No Moto CloudFormation support for AWS::AutoScaling::LifecycleHook", _moto_log())

    def test_no_bucket_policy_resource(self):
        self.assertErrorCode("NoSuchBucketPolicy", lambda: self.s3.get_bucket_policy(Bucket=self.bucket))
        self.assertIn("No Moto CloudFormation support for AWS::S3::BucketPolicy", _moto_log())

    def test_bucket_lifecycle_public_access_and_ownership_are_ignored(self):
        self.assertErrorCode("NoSuchLifecycleConfiguration",
                             lambda: self.s3.get_bucket_lifecycle_configuration(Bucket=self.bucket))
        self.assertErrorCode("NoSuchPublicAccessBlockConfiguration",
                             lambda: self.s3.get_public_access_block(Bucket=self.bucket))
        self.assertErrorCode("OwnershipControlsNotFoundError",
                             lambda: self.s3.get_bucket_ownership_controls(Bucket=self.bucket))

    def test_s3_lifecycle_checks_moto_leaves_out(self):
        bucket = "lifeboat-moto-lifecycle"
        self.s3.create_bucket(Bucket=bucket)
        # S3 refuses this rule (expiration not later than the transition): moto takes it.
        rules, _ = bucket_lifecycle(LogObjectExpirationDays=30, GlacierInstantRetrievalAfterDays=30)
        self.s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": rules},
                                                   TransitionDefaultMinimumObjectSize="varies_by_storage_class")
        got = self.s3.get_bucket_lifecycle_configuration(Bucket=bucket)
        self.assertEqual(got["Rules"], rules)
        # ...and reports S3's default minimum object size, not the one put.
        self.assertEqual(got["TransitionDefaultMinimumObjectSize"], "all_storage_classes_128K")

    def test_describe_document_fails_on_a_cloudformation_document(self):
        ssm = moto.boto3("ssm", config=Config(retries={"total_max_attempts": 1}))
        self.assertErrorCode("500", lambda: ssm.describe_document(Name="lifeboat-evacuate"))


def _moto_log():
    with open(moto.log.name, errors="replace") as f:
        return f.read()


class DeployCommandTest(unittest.TestCase):
    """The command docs/deploy.md gives (aws cloudformation deploy), for a second group with
    every name overridden: the names reach the function, the rule and the policies."""

    def test_deploy_with_overrides(self):
        p = run(["aws", "cloudformation", "deploy", "--stack-name", "lifeboat-api",
                 "--template-file", TEMPLATE, "--capabilities", "CAPABILITY_IAM",
                 "--parameter-overrides", f"CodeS3Bucket={CODE_BUCKET}", f"CodeS3Key={CODE_KEY}",
                 "AutoScalingGroupName=api", "LifecycleHookName=lifeboat-api", "LogPrefix=api/logs",
                 "DocumentName=lifeboat-evacuate-api", "FunctionName=lifeboat-api",
                 "OnFailure=CONTINUE", "CommandTimeout=900", "HeartbeatTimeout=120"],
                env=env, timeout=120)
        self.assertEqual(p.returncode, 0, p.stdout_text + p.stderr_text)
        # moto 5.2 gives a stack made through a change set (what deploy does) no Outputs.
        self.assertNotIn("Outputs", stack("lifeboat-api"))
        ids = physical_ids("lifeboat-api")
        bucket = ids["LogBucket"]
        fn = moto.boto3("lambda").get_function(FunctionName="lifeboat-api")["Configuration"]
        self.assertEqual({k: str(v) for k, v in fn["Environment"]["Variables"].items()}, {
            "LIFEBOAT_DOCUMENT": "lifeboat-evacuate-api", "LIFEBOAT_DESTINATION": f"s3://{bucket}/api/logs",
            "LIFEBOAT_ON_FAILURE": "CONTINUE", "LIFEBOAT_COMMAND_TIMEOUT": "900", "LIFEBOAT_PARAMETERS": "{}"})
        rule = moto.boto3("events").describe_rule(Name=ids["LifecycleRule"])
        self.assertEqual(json.loads(rule["EventPattern"])["detail"],
                         {"AutoScalingGroupName": ["api"], "LifecycleHookName": ["lifeboat-api"]})
        iam = moto.boto3("iam")
        controller = policy_document(iam.get_role_policy(RoleName=ids["ControllerRole"],
                                                         PolicyName="lifeboat-controller")["PolicyDocument"])
        self.assertEqual(controller, load_policy("controller-policy.json", Group="api",
                                                 Document="lifeboat-evacuate-api", Function="lifeboat-api"))
        instance = policy_document(iam.get_role_policy(RoleName=ids["InstanceRole"],
                                                       PolicyName="lifeboat-instance")["PolicyDocument"])
        self.assertEqual(instance, load_policy("instance-policy.json", Bucket=bucket, Prefix="api/logs", Group="api"))
        got = moto.boto3("ssm").get_document(Name="lifeboat-evacuate-api")["Content"]
        self.assertEqual(got["parameters"]["destination"]["default"], f"s3://{bucket}/api/logs")


# --- the Run Command document ------------------------------------------------------------

def allowed(param, value, lenient=False):
    """Whether the parameter's allowedPattern admits the value. Run Command matches the whole
    value (AWS-RunShellScript's own executionTimeout pattern is unanchored, which only works
    with whole-value matching, as Java's String.matches does); lenient=True is find()
    semantics, where the anchors still leave a single trailing newline through."""
    pattern = document()["parameters"][param]["allowedPattern"]
    if lenient:
        return re.search(pattern, value) is not None
    return re.fullmatch(pattern, value) is not None


def render(lines, values):
    """Run Command's substitution: every {{ name }} replaced by the value, as text."""
    return [PARAMETER.sub(lambda m: values[m.group(1)], line) for line in lines]


EXAMPLES = {  # values operators will use, each must be admitted
    "destination": ["s3://my-log-bucket", "s3://my-log-bucket/fleet", "s3://logs.example.com/a/b-c_d/",
                    "file:///mnt/efs/logs"],
    "paths": ["/var/log/*.log /var/log/*/*.log", "/var/log/nginx/error.log", "/srv/app/logs/app-[0-9].log",
              "/var/log/php-fpm/*.log  /home/app/log/current"],
    "preStop": ["", "systemctl stop php-fpm", "systemctl stop nginx.service php8.2-fpm",
                "systemctl stop app@1.service"],
    "onFailure": ["ABANDON", "CONTINUE"],
    "hookName": ["auto", "lifeboat", "lifeboat-api", "my_hook/terminate"],
    "groupName": ["auto", "web", "my group", "eks-nodes-1a2b.c_d"],
    "token": ["", "6a4f1b0e-52b4-4d3a-9f3f-0f1e2d3c4b5a", "6A4F1B0E-52B4-4D3A-9F3F-0F1E2D3C4B5A"],
    "timeScale": ["1", "60", "0.5"],
    "executionTimeout": ["1", "300", "3600", "172800"],
}
INJECTION = "x'; rm -rf / #"
# Each appended to an admitted value must be refused by every parameter.
DANGEROUS = ["'", '"', "`", "$(id)", "${IFS}", ";", "&", "|", "<", ">", "\\", "\n", "(", ")", "{", "}", "#", "!", "~"]


class SsmDocumentTest(unittest.TestCase):
    def setUp(self):
        self.doc = document()
        self.params = self.doc["parameters"]
        (self.step,) = self.doc["mainSteps"]

    def test_one_linux_shell_step_running_the_evacuate_command(self):
        self.assertEqual(self.doc["schemaVersion"], "2.2")
        self.assertEqual(self.step["action"], "aws:runShellScript")
        self.assertEqual(self.step["precondition"], {"StringEquals": ["platformType", "Linux"]})
        self.assertEqual(self.step["inputs"]["timeoutSeconds"], "{{ executionTimeout }}")
        self.assertEqual(self.step["inputs"]["runCommand"][-1], COMMAND)

    def test_every_parameter_used_is_declared_and_every_declared_one_used(self):
        used = set(PARAMETER.findall(json.dumps(self.doc["mainSteps"])))
        self.assertEqual(used, set(self.params))
        self.assertEqual(set(self.params), set(EXAMPLES))

    def test_every_parameter_is_a_described_string_with_a_pattern_and_a_default_it_passes(self):
        for name, p in self.params.items():
            with self.subTest(name):
                self.assertEqual(p["type"], "String")
                self.assertGreater(len(p["description"]), 20)
                self.assertIn("allowedPattern", p)
                self.assertTrue(p["allowedPattern"].startswith("^") and p["allowedPattern"].endswith("$"))
                if name == "destination":
                    self.assertNotIn("default", p)
                else:
                    self.assertTrue(allowed(name, p["default"]), p["default"])
        self.assertEqual({k: self.params[k].get("default") for k in self.params}, {
            "destination": None, "paths": "/var/log/*.log /var/log/*/*.log", "preStop": "",
            "onFailure": "ABANDON", "hookName": "auto", "groupName": "auto", "token": "",
            "timeScale": "1", "executionTimeout": "3600"})

    def test_the_patterns_admit_what_operators_use(self):
        for name, values in EXAMPLES.items():
            for value in values:
                with self.subTest(name=name, value=value):
                    self.assertTrue(allowed(name, value))

    def test_the_patterns_refuse_shell_syntax(self):
        for name in self.params:
            with self.subTest(name=name, value=INJECTION):
                self.assertFalse(allowed(name, INJECTION, lenient=True))
            for bad in DANGEROUS:
                for good in EXAMPLES[name]:
                    for value in (good + bad, bad + good, good + bad + good):
                        with self.subTest(name=name, value=value):
                            self.assertFalse(allowed(name, value))
                            if value != good + "\n":  # find() semantics let this one through
                                self.assertFalse(allowed(name, value, lenient=True))
        for value in ("-H evil php-fpm", "systemctl stop --root=/ x", "systemctl start x", "reboot",
                      "systemctl stop x; reboot"):
            with self.subTest(preStop=value):
                self.assertFalse(allowed("preStop", value))
        for value in ("relative/*.log", "/var/log/*.log relative.log", "0", "172801"):
            with self.subTest(value=value):
                self.assertFalse(allowed("paths", value) or allowed("executionTimeout", value))

    def test_any_admitted_values_reach_lifeboat_as_exactly_its_arguments(self):
        """Renders the script with random admitted values (shell metacharacters offered at
        every position, kept where the pattern admits them even with find() semantics, so a
        trailing newline is among them) and runs it under dash and
        bash with a lifeboat that records its argv: every value arrives whole, as one argument
        (paths: split at spaces, globs unexpanded), and nothing else runs."""
        rng = random.Random(20240601)
        alphabet = [chr(c) for c in range(32, 127)] + ["\n", "\t"]
        samples = {name: list(values) for name, values in EXAMPLES.items()}
        for name in samples:
            tries = 0
            while len(samples[name]) < 40 and tries < 20000:
                tries += 1
                value = rng.choice(EXAMPLES[name])
                for _ in range(rng.randint(1, 4)):
                    i = rng.randint(0, len(value))
                    value = value[:i] + rng.choice(alphabet) + value[i:]
                if allowed(name, value, lenient=True):
                    samples[name].append(value)
            self.assertGreaterEqual(len(samples[name]), 8, name)
        tmp = tempfile.mkdtemp(prefix="lifeboat-doc-")
        self.addCleanup(shutil.rmtree, tmp, True)
        bindir = os.path.join(tmp, "bin")
        os.mkdir(bindir)
        fake = os.path.join(bindir, "lifeboat")
        with open(fake, "w") as f:
            f.write('#!/bin/sh\nfor a in "$@"; do printf "%s\\0" "$a"; done > "$ARGV_FILE"\n')
        os.chmod(fake, 0o755)
        shells = [s for s in ("dash", "bash") if shutil.which(s)]
        self.assertTrue(shells)
        for i in range(40):
            values = {name: samples[name][i % len(samples[name])] for name in samples}
            script = os.path.join(tmp, "_script.sh")
            with open(script, "w") as f:
                f.write("\n".join(render(self.step["inputs"]["runCommand"], values)) + "\n")
            expected = ["evacuate", "--to", values["destination"], "--complete-lifecycle",
                        "--asg", values["groupName"], "--hook", values["hookName"], "--token", values["token"],
                        "--on-failure", values["onFailure"], "--pre-stop", values["preStop"],
                        "--time-scale", values["timeScale"], *values["paths"].split()]
            for shell in shells:
                argv_file = os.path.join(tmp, "argv")
                if os.path.exists(argv_file):
                    os.unlink(argv_file)
                # The working directory holds files that the globs would match if expanded.
                p = subprocess.run([shell, script], cwd="/", capture_output=True, timeout=30,
                                   env={"PATH": bindir + ":/usr/bin:/bin", "ARGV_FILE": argv_file})
                with self.subTest(shell=shell, values=values):
                    self.assertEqual(p.returncode, 0, p.stderr)
                    self.assertEqual(p.stderr, b"")
                    with open(argv_file, "rb") as f:
                        argv = f.read().split(b"\0")[:-1]
                    self.assertEqual([a.decode() for a in argv], expected)
        self.assertTrue(any("*" in samples["paths"][i % len(samples["paths"])] for i in range(40)))

    def test_a_shutdowns_sigterm_leaves_lifeboats_exit_code_as_the_commands(self):
        """The completion lets the instance shut down, and the shutdown sends SIGTERM to every
        process. A shell waiting for lifeboat dies of it (143: Run Command says "Failed")
        whatever lifeboat does; with exec, lifeboat is the process and its exit code (0
        here, from a stand-in that exits 0 on SIGTERM) is the command's."""
        tmp = tempfile.mkdtemp(prefix="lifeboat-doc-")
        self.addCleanup(shutil.rmtree, tmp, True)
        bindir = os.path.join(tmp, "bin")
        os.mkdir(bindir)
        with open(os.path.join(bindir, "lifeboat"), "w") as f:
            f.write('#!/bin/sh\ntrap "exit 0" TERM\necho $$ > "$PID_FILE"\nsleep 60 &\nwait $!\n')
        os.chmod(os.path.join(bindir, "lifeboat"), 0o755)
        script = os.path.join(tmp, "_script.sh")
        with open(script, "w") as f:
            values = {name: examples[0] for name, examples in EXAMPLES.items()}
            f.write("\n".join(render(self.step["inputs"]["runCommand"], values)) + "\n")
        shells = [s for s in ("dash", "bash") if shutil.which(s)]
        self.assertTrue(shells)
        for shell in shells:
            with self.subTest(shell=shell):
                pid_file = os.path.join(tmp, f"{shell}.pid")
                p = subprocess.Popen([shell, script], cwd="/", start_new_session=True,
                                     env={"PATH": bindir + ":/usr/bin:/bin", "PID_FILE": pid_file})
                deadline = time.time() + 30
                while not (os.path.exists(pid_file) and os.path.getsize(pid_file)):
                    self.assertLess(time.time(), deadline, "the stand-in lifeboat did not start")
                    time.sleep(0.02)
                os.killpg(p.pid, signal.SIGTERM)  # as a shutdown signals every process
                self.assertEqual(p.wait(timeout=30), 0)
                with open(pid_file) as f:
                    self.assertEqual(int(f.read()), p.pid)  # lifeboat replaced the shell

    def test_moto_accepts_it_as_a_command_document(self):
        ssm = moto.boto3("ssm")
        with open(DOCUMENT_FILE) as f:
            ssm.create_document(Name="lifeboat-evacuate-file", Content=f.read(), DocumentType="Command",
                                DocumentFormat="JSON")
        described = ssm.describe_document(Name="lifeboat-evacuate-file")["Document"]
        self.assertEqual(described["SchemaVersion"], "2.2")
        self.assertEqual({p["Name"]: (p["Type"], p.get("DefaultValue")) for p in described["Parameters"]},
                         {k: ("String", v.get("default")) for k, v in self.params.items()})


if __name__ == "__main__":
    unittest.main()
