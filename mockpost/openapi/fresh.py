"""Fresh values for `--dynamic` and `Prefer: dynamic=true`: a schema's plain value as one of
Postman's dynamic variables (`{{$randomEmail}}`, `{{$guid}}`, `{{$randomInt}}`...), which
mockpost draws with Faker on every call (seeded by `--seed`). Chosen by the value's `format`,
else by its property's name, else by its type; a value its schema bounds (a pattern,
lengths, a minimum or maximum, a multiple) keeps the one `sample.py` made, which is valid.
"""

from __future__ import annotations

import json
import re
from typing import Any

RAW = "\x00"  # marks a variable written without quotes (a number, a boolean) in JSON
BOUNDS = ("pattern", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum",
          "exclusiveMaximum", "multipleOf", "enum", "const")  # fmt: skip
FORMATS = {
    "email": "randomEmail",
    "idn-email": "randomEmail",
    "uuid": "guid",
    "date-time": "isoTimestamp",
    "uri": "randomUrl",
    "url": "randomUrl",
    "ipv4": "randomIP",
    "hostname": "randomDomainName",
    "password": "randomPassword",
}
NAMES = {
    "firstname": "randomFirstName",
    "givenname": "randomFirstName",
    "lastname": "randomLastName",
    "surname": "randomLastName",
    "familyname": "randomLastName",
    "fullname": "randomFullName",
    "name": "randomFullName",
    "username": "randomUserName",
    "login": "randomUserName",
    "email": "randomEmail",
    "city": "randomCity",
    "country": "randomCountry",
    "countrycode": "randomCountryCode",
    "phone": "randomPhoneNumber",
    "phonenumber": "randomPhoneNumber",
    "company": "randomCompanyName",
    "companyname": "randomCompanyName",
    "street": "randomStreetName",
    "address": "randomStreetAddress",
    "jobtitle": "randomJobTitle",
    "title": "randomLoremWords",
    "description": "randomLoremSentence",
    "currency": "randomCurrencyCode",
    "color": "randomColor",
    "url": "randomUrl",
    "avatar": "randomAvatarImage",
    "image": "randomImageUrl",
}
TYPES = {"string": "randomWords", "integer": RAW + "randomInt", "boolean": RAW + "randomBoolean",
         "number": RAW + "randomPrice"}  # fmt: skip
RAW_VARIABLE = re.compile(r'"\\u0000(\{\{\$\w+\}\})\\u0000"')


def fresh(schema: dict[str, Any], kind: str, name: str | None) -> str | None:
    """The dynamic variable standing for a plain value (None: keep the value made)."""
    if any(key in schema for key in BOUNDS):
        return None
    variable = None
    if kind == "string":
        variable = FORMATS.get(str(schema.get("format")))
        if variable is None and schema.get("format") is not None:
            return None  # a format no variable writes (a date, a byte string)
        if variable is None and name is not None:
            variable = NAMES.get(re.sub(r"[^a-z]", "", name.lower()))
    variable = variable or TYPES.get(kind)
    if variable is None:
        return None
    if variable.startswith(RAW):
        return f"{RAW}{{{{${variable[1:]}}}}}{RAW}"
    return f"{{{{${variable}}}}}"


def as_json(value: Any) -> str:
    """A value holding dynamic variables as the JSON text of a template: a number's or a
    boolean's variable written without quotes, so that the answer is JSON once drawn."""
    text = json.dumps(value, indent=2, ensure_ascii=False, default=str)
    return RAW_VARIABLE.sub(r"\1", text)
