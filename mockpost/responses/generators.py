"""The 118 dynamic variables of the postman-collection SDK, each a generator of fresh values.

Each gives a value of the same kind and format as Postman's. Faker makes the values where it
has a generator; `wordlists` covers faker.js parts that Python's Faker lacks.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from mockpost.responses import wordlists as words
from mockpost.responses.source import DAY, Source

Generator = Callable[[Source], str]


def _faker(method: str, *args: Any, **kwargs: Any) -> Generator:
    def generate(source: Source) -> str:
        return str(getattr(source.faker, method)(*args, **kwargs))

    generate.needs_faker = True  # type: ignore[attr-defined]
    return generate


def _uses_faker(generator: Generator) -> Generator:
    generator.needs_faker = True  # type: ignore[attr-defined]
    return generator


def _uuid4(source: Source) -> str:
    return str(uuid.UUID(int=source.rng.getrandbits(128), version=4))


def _iso(timestamp: float) -> str:
    moment = datetime.fromtimestamp(timestamp, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _js_date(timestamp: float) -> str:
    """A date as JavaScript's Date.toString() writes it, in UTC."""
    moment = datetime.fromtimestamp(timestamp, UTC)
    return moment.strftime("%a %b %d %Y %H:%M:%S GMT+0000 (Coordinated Universal Time)")


def _date(offset_days: float) -> Generator:
    def generate(source: Source) -> str:
        return _js_date(source.now() + source.rng.uniform(0, offset_days) * DAY)

    return generate


def _phone(source: Source) -> str:
    return f"{source.rng.randint(2, 9)}{source.digits(2)}-{source.digits(3)}-{source.digits(4)}"


def _hacker_word(source: Source) -> str:
    lists = (
        words.HACKER_NOUNS,
        words.HACKER_VERBS,
        words.HACKER_ADJECTIVES,
        words.HACKER_ABBREVIATIONS,
        words.PRODUCTS,
        words.DEPARTMENTS,
        words.JOB_AREAS,
    )
    return source.pick(source.rng.choice(lists))


def _phrase(source: Source) -> str:
    template = source.pick(words.HACKER_PHRASES)
    parts = {
        "verb": words.HACKER_VERBS,
        "noun": words.HACKER_NOUNS,
        "adjective": words.HACKER_ADJECTIVES,
        "abbreviation": words.HACKER_ABBREVIATIONS,
        "ingverb": words.HACKER_INGVERBS,
    }
    out = template
    for name, choices in parts.items():
        while "{" + name + "}" in out:
            out = out.replace("{" + name + "}", source.pick(choices), 1)
    return out[0].upper() + out[1:]


def _company_words(group: int, which: str) -> Generator:
    """A word of Faker's catch-phrase or business-speak lists (en_US provider)."""

    def generate(source: Source) -> str:
        from faker.providers.company.en_US import Provider

        lists: tuple[tuple[str, ...], ...] = getattr(Provider, which)
        return source.pick(lists[group])

    return _uses_faker(generate)


def _lorem(kind: str) -> Generator:
    def generate(source: Source) -> str:
        fake, latin, rng = source.faker, source.latin, source.rng
        if kind == "word":
            return str(fake.word(ext_word_list=latin))
        if kind == "words":
            return " ".join(fake.words(3, ext_word_list=latin))
        if kind == "slug":
            return "-".join(fake.words(3, ext_word_list=latin))
        if kind == "sentence":
            return str(fake.sentence(ext_word_list=latin))
        if kind == "sentences":
            return " ".join(fake.sentences(rng.randint(2, 6), ext_word_list=latin))
        if kind == "paragraph":
            return str(fake.paragraph(ext_word_list=latin))
        if kind == "paragraphs":
            return "\n \r".join(fake.paragraphs(3, ext_word_list=latin))
        if kind == "lines":
            return "\n".join(fake.sentences(rng.randint(1, 5), ext_word_list=latin))
        return str(fake.text(max_nb_chars=rng.choice((200, 400)), ext_word_list=latin))

    return _uses_faker(generate)


def _image_url(category: str) -> Generator:
    return lambda source: f"https://loremflickr.com/640/480/{category}"


def _data_uri(source: Source) -> str:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" baseProfile="full" width="640" '
        'height="480"><rect width="100%" height="100%" fill="grey"/><text x="320" y="240" '
        'font-size="20" alignment-baseline="middle" text-anchor="middle" fill="white">'
        "640x480</text></svg>"
    )
    return "data:image/svg+xml;charset=UTF-8," + quote(svg, safe="")


def _bitcoin(source: Source) -> str:
    length = source.rng.randint(25, 33)
    return source.pick(("1", "3")) + "".join(source.rng.choice(words.BASE58) for _ in range(length))


def _password(source: Source) -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    return "".join(source.rng.choice(alphabet) for _ in range(15))


def _file_path(source: Source) -> str:
    return f"{source.pick(words.DIRECTORY_PATHS)}/{source.faker.file_name()}"


DYNAMIC_VARIABLES: dict[str, Generator] = {
    # Common
    "guid": _uuid4,
    "timestamp": lambda s: str(int(s.now())),
    "isoTimestamp": lambda s: _iso(s.now()),
    "randomUUID": _uuid4,
    # Text, numbers and colors
    "randomAlphaNumeric": lambda s: s.rng.choice("abcdefghijklmnopqrstuvwxyz0123456789"),
    "randomBoolean": lambda s: s.pick(("true", "false")),
    "randomInt": lambda s: str(s.rng.randint(0, 1000)),
    "randomColor": _faker("safe_color_name"),
    "randomHexColor": lambda s: "#" + "".join(s.rng.choice("0123456789abcdef") for _ in range(6)),
    "randomAbbreviation": lambda s: s.pick(words.HACKER_ABBREVIATIONS),
    # Internet and IP addresses
    "randomIP": _faker("ipv4"),
    "randomIPV6": _faker("ipv6"),
    "randomMACAddress": _faker("mac_address"),
    "randomPassword": _password,
    "randomLocale": lambda s: s.pick(words.LANGUAGE_CODES),
    "randomUserAgent": _faker("user_agent"),
    "randomProtocol": lambda s: s.pick(("http", "https")),
    "randomSemver": lambda s: ".".join(str(s.rng.randint(0, 9)) for _ in range(3)),
    # Names
    "randomFirstName": _faker("first_name"),
    "randomLastName": _faker("last_name"),
    "randomFullName": _uses_faker(lambda s: f"{s.faker.first_name()} {s.faker.last_name()}"),
    "randomNamePrefix": _faker("prefix"),
    "randomNameSuffix": _faker("suffix"),
    # Profession
    "randomJobArea": lambda s: s.pick(words.JOB_AREAS),
    "randomJobDescriptor": lambda s: s.pick(words.JOB_DESCRIPTORS),
    "randomJobTitle": lambda s: " ".join(
        s.pick(w) for w in (words.JOB_DESCRIPTORS, words.JOB_AREAS, words.JOB_TYPES)
    ),
    "randomJobType": lambda s: s.pick(words.JOB_TYPES),
    # Phone, address and location
    "randomPhoneNumber": _phone,
    "randomPhoneNumberExt": lambda s: f"{s.rng.randint(1, 99)}-{_phone(s)}",
    "randomCity": _faker("city"),
    "randomStreetName": _faker("street_name"),
    "randomStreetAddress": _faker("street_address"),
    "randomCountry": _faker("country"),
    "randomCountryCode": _faker("country_code"),
    "randomLatitude": lambda s: f"{s.rng.uniform(-90, 90):.4f}",
    "randomLongitude": lambda s: f"{s.rng.uniform(-180, 180):.4f}",
    # Images
    "randomAvatarImage": lambda s: (
        f"https://avatars.githubusercontent.com/u/{s.rng.randint(1, 99_999_999)}"
    ),
    "randomImageUrl": lambda s: "https://loremflickr.com/640/480",
    **{name: _image_url(category) for name, category in words.IMAGE_CATEGORIES.items()},
    "randomImageDataUri": _data_uri,
    # Finance
    "randomBankAccount": lambda s: s.digits(8),
    "randomBankAccountName": lambda s: s.pick(words.BANK_ACCOUNT_NAMES) + " Account",
    "randomCreditCardMask": lambda s: s.digits(4),
    "randomBankAccountBic": _faker("swift8"),
    "randomBankAccountIban": _faker("iban"),
    "randomTransactionType": lambda s: s.pick(words.TRANSACTION_TYPES),
    "randomCurrencyCode": _faker("currency_code"),
    "randomCurrencyName": _faker("currency_name"),
    "randomCurrencySymbol": _faker("currency_symbol"),
    "randomBitcoin": _bitcoin,
    # Business
    "randomCompanyName": _faker("company"),
    "randomCompanySuffix": _faker("company_suffix"),
    "randomBs": _faker("bs"),
    "randomBsAdjective": _company_words(1, "bsWords"),
    "randomBsBuzz": _company_words(0, "bsWords"),
    "randomBsNoun": _company_words(2, "bsWords"),
    # Catchphrases
    "randomCatchPhrase": _faker("catch_phrase"),
    "randomCatchPhraseAdjective": _company_words(0, "catch_phrase_words"),
    "randomCatchPhraseDescriptor": _company_words(1, "catch_phrase_words"),
    "randomCatchPhraseNoun": _company_words(2, "catch_phrase_words"),
    # Databases
    "randomDatabaseColumn": lambda s: s.pick(words.DATABASE_COLUMNS),
    "randomDatabaseType": lambda s: s.pick(words.DATABASE_TYPES),
    "randomDatabaseCollation": lambda s: s.pick(words.DATABASE_COLLATIONS),
    "randomDatabaseEngine": lambda s: s.pick(words.DATABASE_ENGINES),
    # Dates
    "randomDateFuture": _date(365),
    "randomDatePast": _date(-365),
    "randomDateRecent": _date(-1),
    "randomWeekday": _faker("day_of_week"),
    "randomMonth": _faker("month_name"),
    # Domains, emails and usernames
    "randomDomainName": _faker("domain_name"),
    "randomDomainSuffix": _faker("tld"),
    "randomDomainWord": _faker("domain_word"),
    "randomEmail": _faker("free_email"),
    "randomExampleEmail": _faker("safe_email"),
    "randomUserName": _faker("user_name"),
    "randomUrl": _uses_faker(lambda s: str(s.faker.url()).rstrip("/")),
    # Files and directories
    "randomFileName": _faker("file_name"),
    "randomFileType": _uses_faker(lambda s: str(s.faker.mime_type()).split("/", 1)[0]),
    "randomFileExt": _faker("file_extension"),
    "randomCommonFileName": _uses_faker(
        lambda s: f"{s.faker.word()}.{s.pick(words.COMMON_FILE_EXTENSIONS)}"
    ),
    "randomCommonFileType": lambda s: s.pick(words.COMMON_FILE_TYPES),
    "randomCommonFileExt": lambda s: s.pick(words.COMMON_FILE_EXTENSIONS),
    "randomFilePath": _uses_faker(_file_path),
    "randomDirectoryPath": lambda s: s.pick(words.DIRECTORY_PATHS),
    "randomMimeType": _faker("mime_type"),
    # Stores
    "randomPrice": lambda s: f"{s.rng.uniform(0, 1000):.2f}",
    "randomProduct": lambda s: s.pick(words.PRODUCTS),
    "randomProductAdjective": lambda s: s.pick(words.PRODUCT_ADJECTIVES),
    "randomProductMaterial": lambda s: s.pick(words.PRODUCT_MATERIALS),
    "randomProductName": lambda s: " ".join(
        s.pick(w) for w in (words.PRODUCT_ADJECTIVES, words.PRODUCT_MATERIALS, words.PRODUCTS)
    ),
    "randomDepartment": lambda s: s.pick(words.DEPARTMENTS),
    # Grammar
    "randomNoun": lambda s: s.pick(words.HACKER_NOUNS),
    "randomVerb": lambda s: s.pick(words.HACKER_VERBS),
    "randomIngverb": lambda s: s.pick(words.HACKER_INGVERBS),
    "randomAdjective": lambda s: s.pick(words.HACKER_ADJECTIVES),
    "randomWord": _hacker_word,
    "randomWords": lambda s: " ".join(_hacker_word(s) for _ in range(s.rng.randint(2, 5))),
    "randomPhrase": _phrase,
    # Lorem ipsum
    "randomLoremWord": _lorem("word"),
    "randomLoremWords": _lorem("words"),
    "randomLoremSentence": _lorem("sentence"),
    "randomLoremSentences": _lorem("sentences"),
    "randomLoremParagraph": _lorem("paragraph"),
    "randomLoremParagraphs": _lorem("paragraphs"),
    "randomLoremText": _lorem("text"),
    "randomLoremSlug": _lorem("slug"),
    "randomLoremLines": _lorem("lines"),
}
