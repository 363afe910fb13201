"""Packaging for AWS: the Lambda, its CloudFormation template and the static site bundle."""
