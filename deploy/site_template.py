"""CloudFormation for the static site: private S3 bucket, CloudFront, security headers."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from portal.sitebuild import content_security_policy

# AWS managed cache policy "CachingOptimized".
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"

# MkDocs writes every page as <dir>/index.html and links to <dir>/; an S3 origin behind
# CloudFront only resolves the root object, so the viewer request is rewritten here.
INDEX_FUNCTION = """\
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.endsWith('/')) {
    request.uri = uri + 'index.html';
    return request;
  }
  var last = uri.substring(uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) {
    var query = [];
    for (var name in request.querystring) {
      var entry = request.querystring[name];
      var values = entry.multiValue ? entry.multiValue : [entry];
      for (var i = 0; i < values.length; i++) {
        query.push(name + (values[i].value ? '=' + values[i].value : ''));
      }
    }
    var location = uri + '/' + (query.length ? '?' + query.join('&') : '');
    return {
      statusCode: 301,
      statusDescription: 'Moved Permanently',
      headers: { location: { value: location } }
    };
  }
  return request;
}
"""


CSP_MAX = 1783  # CloudFront's limit on a ContentSecurityPolicy header value


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL: what a CSP source must name to cover every API path."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not an absolute http(s) URL: {url!r}")
    return f"{parts.scheme}://{parts.netloc}"


def csp(api_url: str, site_dir: Path) -> str:
    """The site's Content-Security-Policy for an API at api_url.

    A CSP source with a path matches that path only, so an API under a stage path
    (https://id.execute-api.region.amazonaws.com/api) is named by its origin.
    """
    value = content_security_policy(origin_of(api_url), site_dir)
    if len(value) > CSP_MAX:
        raise ValueError(f"the CSP is {len(value)} characters; CloudFront accepts {CSP_MAX}")
    return value


def response_headers_policy(api_url: str, site_dir: Path) -> dict[str, Any]:
    """The CloudFront response headers policy: the site's CSP and the other security headers."""
    return {
        "Type": "AWS::CloudFront::ResponseHeadersPolicy",
        "Properties": {
            "ResponseHeadersPolicyConfig": {
                "Name": {"Fn::Sub": "${AWS::StackName}-site-headers"},
                "Comment": "Security headers of the family help site",
                "SecurityHeadersConfig": {
                    "ContentSecurityPolicy": {
                        "ContentSecurityPolicy": csp(api_url, site_dir),
                        "Override": True,
                    },
                    "ContentTypeOptions": {"Override": True},
                    "FrameOptions": {"FrameOption": "DENY", "Override": True},
                    "ReferrerPolicy": {
                        "ReferrerPolicy": "strict-origin-when-cross-origin",
                        "Override": True,
                    },
                    "StrictTransportSecurity": {
                        "AccessControlMaxAgeSec": 63072000,
                        "IncludeSubdomains": True,
                        "Override": True,
                    },
                },
            }
        },
    }


def site_template(api_url: str, site_dir: Path) -> dict[str, Any]:
    """The site stack: upload build/site-dist/ to its bucket with `aws s3 sync`."""
    has_domain = "HasCustomDomain"
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "District family help site: private S3 bucket behind CloudFront with the "
        "site's Content-Security-Policy (built by `make package`).",
        "Parameters": {
            "DomainName": {
                "Type": "String",
                "Default": "",
                "Description": "The site's host name, e.g. help.district.example (empty: use "
                "the CloudFront domain).",
            },
            "CertificateArn": {
                "Type": "String",
                "Default": "",
                "Description": "ACM certificate for DomainName, issued in us-east-1.",
            },
            "PriceClass": {
                "Type": "String",
                "Default": "PriceClass_100",
                "AllowedValues": ["PriceClass_100", "PriceClass_200", "PriceClass_All"],
            },
        },
        "Conditions": {
            has_domain: {
                "Fn::And": [
                    {"Fn::Not": [{"Fn::Equals": [{"Ref": "DomainName"}, ""]}]},
                    {"Fn::Not": [{"Fn::Equals": [{"Ref": "CertificateArn"}, ""]}]},
                ]
            }
        },
        "Resources": {
            "SiteBucket": {
                "Type": "AWS::S3::Bucket",
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain",
                "Properties": {
                    "PublicAccessBlockConfiguration": {
                        "BlockPublicAcls": True,
                        "BlockPublicPolicy": True,
                        "IgnorePublicAcls": True,
                        "RestrictPublicBuckets": True,
                    },
                    "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
                    "BucketEncryption": {
                        "ServerSideEncryptionConfiguration": [
                            {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                        ]
                    },
                    "VersioningConfiguration": {"Status": "Enabled"},
                    "LifecycleConfiguration": {
                        "Rules": [
                            {
                                "Id": "ExpireOldVersions",
                                "Status": "Enabled",
                                "NoncurrentVersionExpiration": {"NoncurrentDays": 30},
                            }
                        ]
                    },
                },
            },
            "SiteBucketPolicy": {
                "Type": "AWS::S3::BucketPolicy",
                "Properties": {
                    "Bucket": {"Ref": "SiteBucket"},
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Sid": "CloudFrontReadsObjects",
                                "Effect": "Allow",
                                "Principal": {"Service": "cloudfront.amazonaws.com"},
                                "Action": "s3:GetObject",
                                "Resource": {"Fn::Sub": "${SiteBucket.Arn}/*"},
                                "Condition": {
                                    "StringEquals": {
                                        "AWS:SourceArn": {
                                            "Fn::Sub": "arn:${AWS::Partition}:cloudfront::"
                                            "${AWS::AccountId}:distribution/${SiteDistribution}"
                                        }
                                    }
                                },
                            },
                            {
                                "Sid": "TlsOnly",
                                "Effect": "Deny",
                                "Principal": "*",
                                "Action": "s3:*",
                                "Resource": [
                                    {"Fn::GetAtt": ["SiteBucket", "Arn"]},
                                    {"Fn::Sub": "${SiteBucket.Arn}/*"},
                                ],
                                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                            },
                        ],
                    },
                },
            },
            "SiteOriginAccessControl": {
                "Type": "AWS::CloudFront::OriginAccessControl",
                "Properties": {
                    "OriginAccessControlConfig": {
                        "Name": {"Fn::Sub": "${AWS::StackName}-site"},
                        "OriginAccessControlOriginType": "s3",
                        "SigningBehavior": "always",
                        "SigningProtocol": "sigv4",
                    }
                },
            },
            "SiteHeadersPolicy": response_headers_policy(api_url, site_dir),
            "SiteIndexFunction": {
                "Type": "AWS::CloudFront::Function",
                "Properties": {
                    "Name": {"Fn::Sub": "${AWS::StackName}-site-index"},
                    "AutoPublish": True,
                    "FunctionCode": INDEX_FUNCTION,
                    "FunctionConfig": {
                        "Comment": "Serve <dir>/index.html for <dir>/; add the slash to <dir>",
                        "Runtime": "cloudfront-js-2.0",
                    },
                },
            },
            "SiteDistribution": {
                "Type": "AWS::CloudFront::Distribution",
                "Properties": {
                    "DistributionConfig": {
                        "Enabled": True,
                        "Comment": "District family help site",
                        "HttpVersion": "http2and3",
                        "IPV6Enabled": True,
                        "PriceClass": {"Ref": "PriceClass"},
                        "DefaultRootObject": "index.html",
                        "Aliases": {
                            "Fn::If": [has_domain, [{"Ref": "DomainName"}], {"Ref": "AWS::NoValue"}]
                        },
                        "ViewerCertificate": {
                            "Fn::If": [
                                has_domain,
                                {
                                    "AcmCertificateArn": {"Ref": "CertificateArn"},
                                    "SslSupportMethod": "sni-only",
                                    "MinimumProtocolVersion": "TLSv1.2_2021",
                                },
                                {"CloudFrontDefaultCertificate": True},
                            ]
                        },
                        "Origins": [
                            {
                                "Id": "site-bucket",
                                "DomainName": {"Fn::GetAtt": ["SiteBucket", "RegionalDomainName"]},
                                "OriginAccessControlId": {
                                    "Fn::GetAtt": ["SiteOriginAccessControl", "Id"]
                                },
                                "S3OriginConfig": {"OriginAccessIdentity": ""},
                            }
                        ],
                        "DefaultCacheBehavior": {
                            "TargetOriginId": "site-bucket",
                            "ViewerProtocolPolicy": "redirect-to-https",
                            "AllowedMethods": ["GET", "HEAD"],
                            "CachedMethods": ["GET", "HEAD"],
                            "Compress": True,
                            "CachePolicyId": CACHING_OPTIMIZED,
                            "ResponseHeadersPolicyId": {"Ref": "SiteHeadersPolicy"},
                            "FunctionAssociations": [
                                {
                                    "EventType": "viewer-request",
                                    "FunctionARN": {
                                        "Fn::GetAtt": ["SiteIndexFunction", "FunctionARN"]
                                    },
                                }
                            ],
                        },
                        # Without ListBucket, S3 answers a missing key with 403.
                        "CustomErrorResponses": [
                            {
                                "ErrorCode": code,
                                "ResponseCode": 404,
                                "ResponsePagePath": "/404.html",
                                "ErrorCachingMinTTL": 60,
                            }
                            for code in (403, 404)
                        ],
                    }
                },
            },
        },
        "Outputs": {
            "BucketName": {"Value": {"Ref": "SiteBucket"}},
            "DistributionId": {"Value": {"Ref": "SiteDistribution"}},
            "DistributionDomainName": {"Value": {"Fn::GetAtt": ["SiteDistribution", "DomainName"]}},
            "ContentSecurityPolicy": {"Value": csp(api_url, site_dir)},
        },
    }
