"""The nightly SIS import in the API stack: schedule, function, role, log group and alarm.

`make package` adds these to the API's sam.json once Chalice has written it, so the import
function takes the API function's runtime and settings (table prefix, time zone, the district's
identifiers...) from one place. Everything is created only when the stack's `SisBucket`
parameter names the bucket the SIS drops its exports in.

Lambda, not ECS Fargate: a nightly import writes only what changed since the night before (an
unchanged item costs a hash, not a write), and even a first import of 50,000 students took
527 s against DynamoDB Local on two shared cores (BENCHMARKS.md, P3), inside Lambda's 900 s.
The tightest case is that first import into new on-demand tables, which start at about 4,000
writes a second: some 2 million items need 500 s or more. An import cut short is not lost:
validation came first, and the next run writes only what is still missing (the alarm says so
meanwhile); a district may also load its first export from an operator's machine. Fargate
would add a container image, a registry and a VPC to the deployment for a job that fits in a
function.
"""

from __future__ import annotations

from typing import Any

from . import iam

FUNCTION_ID = "SisImportFunction"
FUNCTION_NAME = f"{iam.APP_NAME}-sis-import"
LOG_GROUP_ID = "SisImportLogGroup"
ROLE_ID = "SisImportRole"
SCHEDULE_ID = "NightlySisImport"  # the parameter SisImportSchedule says when
SCHEDULER_ROLE_ID = "SisImportSchedulerRole"
ALARM_ID = "SisImportFailed"
ALARM_NAME = f"{FUNCTION_NAME}-failed"  # one stack per account and region, like the names
ZIP_NAME = "sis-import.zip"
HANDLER = "portal.sis.nightly.handler"
CONDITION = "HasSisBucket"
SCHEDULER = "scheduler.amazonaws.com"
# 4 GB gives the function two vCPUs: one builds and hashes items while the other serializes
# the BatchWriteItem threads' requests; memory stays far below it (P3: 154 MB at 10,000).
MEMORY_MB = 4096
TIMEOUT_S = 900  # Lambda's ceiling
# /tmp holds one downloaded export (and its zip while it is unpacked): a generated
# 5,000-student export is 32 MB of CSV (11 MB zipped), so 50,000 need about 430 MB at the peak;
# 2 GB leaves room for an SIS that writes more columns.
EPHEMERAL_MB = 2048
# API-only settings the import has no use for (it may not read the secret at all).
API_ONLY_VARIABLES = ("PORTAL_SITE_ORIGIN", "PORTAL_SECRET_ARN", "TRUSTED_PROXY_HOPS")
SOURCE = {"Fn::Sub": "s3://${SisBucket}/${SisPrefix}"}
BUCKET_ARN = "arn:${AWS::Partition}:s3:::${SisBucket}"
ALARM_HOURS = 12  # a failed night keeps the alarm red through the next school morning


def parameters() -> dict[str, Any]:
    """Where the exports land and when the import runs."""
    return {
        "SisBucket": {
            "Type": "String",
            "Default": "",
            "AllowedPattern": r"^$|^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
            "Description": "Bucket the SIS drops its OneRoster exports in (empty: no nightly "
            "import).",
        },
        "SisPrefix": {
            "Type": "String",
            "Default": "oneroster/",
            "AllowedPattern": r"^[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*/$",
            "Description": "Key prefix of the exports, ending with /: each export is a folder "
            "PREFIX<date>/ holding manifest.csv, or a zip PREFIX<date>.zip; the latest name wins.",
        },
        "SisImportSchedule": {
            "Type": "String",
            "Default": "cron(0 3 * * ? *)",
            "Description": "When the nightly import runs, in DistrictTimeZone (EventBridge "
            "Scheduler cron or rate expression; default 03:00 every night).",
        },
    }


def conditions() -> dict[str, Any]:
    """The import exists only when a bucket is named."""
    return {CONDITION: {"Fn::Not": [{"Fn::Equals": [{"Ref": "SisBucket"}, ""]}]}}


def log_group_arn() -> str:
    """The function's log group and its streams (filled in like the API's policy)."""
    return f"arn:aws:logs:*:*:log-group:/aws/lambda/{FUNCTION_NAME}:*"


def role_policy() -> dict[str, Any]:
    """Read the prefix, do to the tables what portal/sis reaches, write its own logs."""
    need = iam.importer_actions()
    if need.admin_calls:
        raise ValueError(f"the importer reaches table management calls {need.admin_calls}")
    tables = [
        {
            "Sid": "Table" + "".join(part.title() for part in table.split("_")),
            "Effect": "Allow",
            "Action": sorted(actions),
            "Resource": [iam.table_arn(table)],
        }
        for table, actions in sorted(need.by_table.items())
    ]
    logs = {"Sid": "WriteOwnLogs", "Effect": "Allow", "Action": sorted(iam.LOG_ACTIONS),
            "Resource": [log_group_arn()]}  # fmt: skip
    exact = iam.template_policy({"Version": "2012-10-17", "Statement": [*tables, logs]})
    exports = [
        {
            "Sid": "ListExports",
            "Effect": "Allow",
            "Action": ["s3:ListBucket"],
            "Resource": [{"Fn::Sub": BUCKET_ARN}],
            "Condition": {"StringLike": {"s3:prefix": [{"Fn::Sub": "${SisPrefix}*"}]}},
        },
        {
            "Sid": "ReadExports",
            "Effect": "Allow",
            "Action": ["s3:GetObject"],
            "Resource": [{"Fn::Sub": BUCKET_ARN + "/${SisPrefix}*"}],
        },
    ]
    return {**exact, "Statement": [*exports, *exact["Statement"]]}


def _role(service: str, name: str, statements: list[dict[str, Any]]) -> dict[str, Any]:
    """A role that one AWS service assumes, with one inline policy."""
    trust: dict[str, Any] = {"Effect": "Allow", "Principal": {"Service": service},
                             "Action": "sts:AssumeRole"}  # fmt: skip
    if service == SCHEDULER:  # only this account's schedules (the confused deputy)
        trust["Condition"] = {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}
    return {
        "Type": "AWS::IAM::Role",
        "Condition": CONDITION,
        "Properties": {
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [trust],
            },
            "Policies": [
                {
                    "PolicyName": name,
                    "PolicyDocument": {"Version": "2012-10-17", "Statement": statements},
                }
            ],
        },
    }


def resources(api_function: dict[str, Any]) -> dict[str, Any]:
    """The import's resources; runtime and settings come from the API function's properties."""
    variables = {
        name: value
        for name, value in api_function["Environment"]["Variables"].items()
        if name not in API_ONLY_VARIABLES
    }
    role = _role("lambda.amazonaws.com", f"{ROLE_ID}Policy", role_policy()["Statement"])
    invoke = {"Effect": "Allow", "Action": ["lambda:InvokeFunction"],
              "Resource": [{"Fn::GetAtt": [FUNCTION_ID, "Arn"]}]}  # fmt: skip
    return {
        ROLE_ID: role,
        LOG_GROUP_ID: {
            "Type": "AWS::Logs::LogGroup",
            "Condition": CONDITION,
            "DeletionPolicy": "Delete",
            "UpdateReplacePolicy": "Delete",
            "Properties": {
                "LogGroupName": f"/aws/lambda/{FUNCTION_NAME}",
                "RetentionInDays": {"Ref": "LogRetentionDays"},
            },
        },
        FUNCTION_ID: {
            "Type": "AWS::Serverless::Function",
            "Condition": CONDITION,
            "DependsOn": [LOG_GROUP_ID],
            "Properties": {
                "FunctionName": FUNCTION_NAME,
                "Description": "Nightly SIS import: the latest OneRoster export under "
                "s3://SisBucket/SisPrefix into the portal-sis table.",
                "CodeUri": f"./{ZIP_NAME}",
                "Handler": HANDLER,
                "Runtime": api_function["Runtime"],
                "MemorySize": MEMORY_MB,
                "Timeout": TIMEOUT_S,
                "EphemeralStorage": {"Size": EPHEMERAL_MB},
                # One import at a time: a manual run can never race the scheduled one.
                "ReservedConcurrentExecutions": 1,
                # A refused export fails the same way again: the alarm calls a person instead.
                "EventInvokeConfig": {"MaximumRetryAttempts": 0},
                "Role": {"Fn::GetAtt": [ROLE_ID, "Arn"]},
                "Environment": {"Variables": {**variables, "PORTAL_SIS_SOURCE": SOURCE}},
            },
        },
        SCHEDULER_ROLE_ID: _role(SCHEDULER, "InvokeSisImport", [invoke]),
        SCHEDULE_ID: {
            "Type": "AWS::Scheduler::Schedule",
            "Condition": CONDITION,
            "Properties": {
                "Description": "The nightly SIS import (the latest export under the prefix).",
                "ScheduleExpression": {"Ref": "SisImportSchedule"},
                "ScheduleExpressionTimezone": {"Ref": "DistrictTimeZone"},
                "FlexibleTimeWindow": {"Mode": "OFF"},
                "State": "ENABLED",
                "Target": {
                    "Arn": {"Fn::GetAtt": [FUNCTION_ID, "Arn"]},
                    "RoleArn": {"Fn::GetAtt": [SCHEDULER_ROLE_ID, "Arn"]},
                    "RetryPolicy": {"MaximumRetryAttempts": 0, "MaximumEventAgeInSeconds": 3600},
                },
            },
        },
        ALARM_ID: {
            "Type": "AWS::CloudWatch::Alarm",
            "Condition": CONDITION,
            "Properties": {
                "AlarmName": ALARM_NAME,
                "AlarmDescription": "The nightly SIS import failed: the export was refused "
                "(its problems are in the function's log), unreadable, or the import did not "
                "finish. Nothing of a refused export was written.",
                "Namespace": "AWS/Lambda",
                "MetricName": "Errors",  # failures, timeouts and crashes alike
                "Dimensions": [{"Name": "FunctionName", "Value": {"Ref": FUNCTION_ID}}],
                "Statistic": "Sum",
                "Period": 3600,
                "EvaluationPeriods": ALARM_HOURS,
                "DatapointsToAlarm": 1,
                "Threshold": 0,
                "ComparisonOperator": "GreaterThanThreshold",
                "TreatMissingData": "notBreaching",
                "AlarmActions": {
                    "Fn::If": ["HasAlarmTopic", [{"Ref": "AlarmTopicArn"}], {"Ref": "AWS::NoValue"}]
                },
            },
        },
    }


def add_to(template: dict[str, Any]) -> dict[str, Any]:
    """The API's template with the nightly import's parameters, resources and output."""
    api_function = template["Resources"]["APIHandler"]["Properties"]
    outputs = {
        "SisImportLogGroup": {
            "Condition": CONDITION,
            "Value": {"Ref": LOG_GROUP_ID},
            "Description": "Where each nightly import writes its JSON line.",
        }
    }
    return {
        **template,
        "Parameters": {**template["Parameters"], **parameters()},
        "Conditions": {**template.get("Conditions", {}), **conditions()},
        "Resources": {**template["Resources"], **resources(api_function)},
        "Outputs": {**template.get("Outputs", {}), **outputs},
    }
