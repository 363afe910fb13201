"""Notices to families: check, publish (site, portal, PDF), send by email, delivery status.

A notice definition (notices/*.yml) holds only the facts that change from year to year
(definition.py). The words live in one Jinja2 template per kind and language
(templates/notices/<kind>/<lang>.md.j2), rendered by render.py into the site page, the email
(text and HTML) and the printable PDF. publish.py puts it on the site and in the portal;
send.py emails every guardian once per (address, language), exactly once across restarts.
The languages are those of chalicelib.languages.
"""
