"""What `chalice package --merge-template` adds to Chalice's SAM template for the API stack."""

from __future__ import annotations

import json
from typing import Any

from chalicelib import config, schema
from chalicelib.api.codes import ERRORS

from . import iam
from .gateway_responses import gateway_responses

ORIGIN_HEADER = "method.response.header.Access-Control-Allow-Origin"
LOG_GROUP = "ApiHandlerLogGroup"
ORIGIN = {"Ref": "SiteOrigin"}
QUOTED_ORIGIN = {"Fn::Sub": "'${SiteOrigin}'"}


def parameters(site_origin: str) -> dict[str, Any]:
    """Settings chosen at deploy time."""
    return {
        "SiteOrigin": {
            "Type": "String",
            "Default": site_origin,
            "AllowedPattern": r"^https://[a-z0-9.-]+(:[0-9]+)?$",
            "Description": "Origin of the help site (scheme and host, no path): the one origin "
            "CORS allows (PORTAL_SITE_ORIGIN).",
        },
        "ClaimDelayHours": {
            "Type": "Number",
            "Default": 24,
            "MinValue": 0,
            "Description": "Wait between a student's first appearance in the SIS and claim "
            "(CLAIM_DELAY_HOURS; use the same value with the CLI).",
        },
        **identifier_parameters(),
        "DistrictTimeZone": {
            "Type": "String",
            "Default": "America/New_York",
            "Description": "The district's time zone, for school years and dates (DISTRICT_TZ).",
        },
        "FailedClaimsAlarmThreshold": {
            "Type": "Number",
            "Default": 300,
            "MinValue": 1,
            "Description": "Failed claims (wrong name or ID, or slowed) in 5 minutes across the "
            "district that raise the FailedClaimsSpike alarm: a guessing campaign, not a class "
            "mistyping.",
        },
        "AlarmTopicArn": {
            "Type": "String",
            "Default": "",
            "Description": "SNS topic told when an alarm fires (empty: the alarm only shows in "
            "CloudWatch).",
        },
        "LogRetentionDays": {
            "Type": "Number",
            "Default": 90,
            "AllowedValues": [30, 60, 90, 120, 150, 180, 365, 400, 545, 731],
            "Description": "How long the function's CloudWatch logs are kept.",
        },
    }


def identifier_parameters() -> dict[str, Any]:
    """The district's student IDs and usernames, by default those the package was built with
    (PORTAL_STUDENT_ID_DIGITS, PORTAL_USERNAME_PREFIX): the site built beside it says the same."""
    low, high = config.STUDENT_ID_DIGITS
    return {
        "StudentIdDigits": {
            "Type": "Number",
            "Default": config.settings().student_id_digits,
            "MinValue": low,
            "MaxValue": high,
            "Description": "Digits of a student ID, the SIS identifier (PORTAL_STUDENT_ID_DIGITS; "
            "build the site with the same value).",
        },
        "UsernamePrefix": {
            "Type": "String",
            "Default": config.settings().username_prefix,
            "AllowedPattern": "^" + config.USERNAME_PREFIX.pattern + "$",
            "Description": "What comes before the student ID in a student's username "
            "(PORTAL_USERNAME_PREFIX; build the site with the same value).",
        },
    }


# The app logs one JSON line per request (chalicelib/api/web.py log_request): claim starts
# answered claim_failed (403) or too_many_attempts (429) are the failed claims.
FAILED_CLAIMS = '{ ($.route = "/claim/start") && (($.status = 403) || ($.status = 429)) }'
METRIC_NAMESPACE = "Portal"


def failed_claims_alarm() -> dict[str, Any]:
    """A metric of failed claims from the function's log, and an alarm on a district-wide spike
    (issue 15, M3): per-student slowing stops one guesser; this shows many."""
    return {
        "FailedClaimsMetric": {
            "Type": "AWS::Logs::MetricFilter",
            "Properties": {
                "LogGroupName": {"Ref": LOG_GROUP},
                "FilterPattern": FAILED_CLAIMS,
                "MetricTransformations": [
                    {
                        "MetricName": "FailedClaims",
                        "MetricNamespace": METRIC_NAMESPACE,
                        "MetricValue": "1",
                        "DefaultValue": 0,
                    }
                ],
            },
        },
        "FailedClaimsSpike": {
            "Type": "AWS::CloudWatch::Alarm",
            "Properties": {
                "AlarmDescription": "Many failed claims across the district in 5 minutes: "
                "someone may be guessing students' names and IDs.",
                "Namespace": METRIC_NAMESPACE,
                "MetricName": "FailedClaims",
                "Statistic": "Sum",
                "Period": 300,
                "EvaluationPeriods": 1,
                "Threshold": {"Ref": "FailedClaimsAlarmThreshold"},
                "ComparisonOperator": "GreaterThanThreshold",
                "TreatMissingData": "notBreaching",
                "AlarmActions": {
                    "Fn::If": ["HasAlarmTopic", [{"Ref": "AlarmTopicArn"}], {"Ref": "AWS::NoValue"}]
                },
            },
        },
    }


def method_not_allowed(methods: list[str]) -> dict[str, Any]:
    """An ANY method answering 405 on a known path, like `chalice local` (mock, no Lambda).

    API Gateway prefers a path's own methods (and OPTIONS for CORS) over ANY, so only the
    methods the path does not serve get here.
    """
    code = "method_not_allowed"
    body = json.dumps({"error": code, "message": ERRORS[code][1]}, separators=(",", ":"))
    headers = {
        "Access-Control-Allow-Origin": QUOTED_ORIGIN,
        "Allow": "'" + ", ".join(sorted(methods)) + "'",
        "Cache-Control": "'no-store'",
        "X-Content-Type-Options": "'nosniff'",
    }
    return {
        "consumes": ["application/json"],
        "produces": ["application/json"],
        "responses": {
            "405": {
                "description": "405 response",
                "headers": {name: {"type": "string"} for name in headers},
            }
        },
        "x-amazon-apigateway-integration": {
            "type": "mock",
            "requestTemplates": {"application/json": '{"statusCode": 405}'},
            "passthroughBehavior": "never",
            "responses": {
                "default": {
                    "statusCode": "405",
                    "responseParameters": {
                        f"method.response.header.{name}": value for name, value in headers.items()
                    },
                    "responseTemplates": {"application/json": body},
                }
            },
        },
    }


def definition_body(routes: dict[str, dict[str, bool]]) -> dict[str, Any]:
    """Gateway responses, the stack's CORS origin on every preflight, and 405 on known paths."""
    paths: dict[str, Any] = {}
    for path, methods in routes.items():
        allowed = list(methods) + (["OPTIONS"] if any(methods.values()) else [])
        entry: dict[str, Any] = {"x-amazon-apigateway-any-method": method_not_allowed(allowed)}
        if any(methods.values()):
            entry["options"] = {
                "x-amazon-apigateway-integration": {
                    "responses": {"default": {"responseParameters": {ORIGIN_HEADER: QUOTED_ORIGIN}}}
                }
            }
        paths[path] = entry
    return {
        "x-amazon-apigateway-gateway-responses": gateway_responses(ORIGIN),
        "paths": paths,
    }


def merge_template(routes: dict[str, dict[str, bool]], site_origin: str) -> dict[str, Any]:
    """The template Chalice deep-merges into its own (dicts merge, anything else replaces)."""
    policy = iam.template_policy(iam.load_policy())
    return {
        "Description": "District family portal API: API Gateway, Lambda and DynamoDB tables "
        "(built by `make package`).",
        "Parameters": parameters(site_origin),
        "Conditions": {
            "HasAlarmTopic": {"Fn::Not": [{"Fn::Equals": [{"Ref": "AlarmTopicArn"}, ""]}]}
        },
        "Resources": {
            **failed_claims_alarm(),
            **schema.cloudformation_resources(iam.TABLE_PREFIX),
            LOG_GROUP: {
                "Type": "AWS::Logs::LogGroup",
                "DeletionPolicy": "Delete",  # a kept group would block re-creating the stack
                "UpdateReplacePolicy": "Delete",
                "Properties": {
                    "LogGroupName": f"/aws/lambda/{iam.FUNCTION_NAME}",
                    "RetentionInDays": {"Ref": "LogRetentionDays"},
                },
            },
            # Keys the reset decoys (chalicelib/storage/secret.py); never leaves the account.
            "DeploymentSecret": {
                "Type": "AWS::SecretsManager::Secret",
                "Properties": {
                    "Name": iam.SECRET_NAME,
                    "Description": "Keys what the API derives that must not be computable "
                    "from outside (the password reset's decoy questions).",
                    "GenerateSecretString": {"PasswordLength": 64, "ExcludePunctuation": True},
                },
            },
            "ApiHandlerRole": {
                "Properties": {
                    "Policies": [{"PolicyName": "ApiHandlerRolePolicy", "PolicyDocument": policy}]
                }
            },
            "APIHandler": {
                "DependsOn": [LOG_GROUP],
                "Properties": {
                    "FunctionName": iam.FUNCTION_NAME,
                    "Environment": {
                        "Variables": {
                            "PORTAL_ENV": "aws",
                            "PORTAL_TABLE_PREFIX": iam.TABLE_PREFIX,
                            "PORTAL_SITE_ORIGIN": ORIGIN,
                            "CLAIM_DELAY_HOURS": {"Ref": "ClaimDelayHours"},
                            "DISTRICT_TZ": {"Ref": "DistrictTimeZone"},
                            "PORTAL_STUDENT_ID_DIGITS": {"Ref": "StudentIdDigits"},
                            "PORTAL_USERNAME_PREFIX": {"Ref": "UsernamePrefix"},
                            "PORTAL_SECRET_ARN": {"Ref": "DeploymentSecret"},
                        }
                    },
                },
            },
            "RestAPI": {"Properties": {"DefinitionBody": definition_body(routes)}},
        },
        "Outputs": {
            "TablePrefix": {"Value": iam.TABLE_PREFIX},
            "SiteOrigin": {"Value": ORIGIN},
        },
    }
