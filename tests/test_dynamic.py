"""Every dynamic variable gives a value of Postman's kind and format; seeds and locales."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from mockpost.responses.dynamic import DYNAMIC_VARIABLES, FIXED_NOW, DynamicValues

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
WORDS = r"[A-Za-z][\w .'&,/-]*"
JS_DATE = (
    r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d\d \d{4} "
    r"\d\d:\d\d:\d\d GMT\+0000 \(Coordinated Universal Time\)"
)
IMAGE = r"https://loremflickr\.com/640/480/"
LOREM_SENTENCE = r"[A-Z][a-z]*( [a-z]+)*\."


def in_range(low: float, high: float) -> Callable[[str], bool]:
    return lambda value: low <= float(value) <= high


def date_within(days_from: float, days_to: float) -> Callable[[str], bool]:
    def check(value: str) -> bool:
        moment = datetime.strptime(value[:24], "%a %b %d %Y %H:%M:%S").replace(tzinfo=UTC)
        offset = (moment.timestamp() - FIXED_NOW) / 86_400
        return days_from - 1 / 86_400 <= offset <= days_to + 1 / 86_400

    return check


# name -> a regular expression the whole value must match, or a predicate.
FORMATS: dict[str, str | Callable[[str], bool]] = {
    "guid": UUID,
    "randomUUID": UUID,
    "timestamp": lambda v: v == str(int(FIXED_NOW)),
    "isoTimestamp": lambda v: v == "2025-01-01T00:00:00.000Z",
    "randomAlphaNumeric": r"[a-z0-9]",
    "randomBoolean": r"true|false",
    "randomInt": lambda v: v.isdigit() and 0 <= int(v) <= 1000,
    "randomColor": r"[a-z]+( [a-z]+)?",
    "randomHexColor": r"#[0-9a-f]{6}",
    "randomAbbreviation": r"[A-Z0-9]{2,5}",
    "randomIP": r"(\d{1,3}\.){3}\d{1,3}",
    "randomIPV6": r"([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}",
    "randomMACAddress": r"([0-9a-f]{2}:){5}[0-9a-f]{2}",
    "randomPassword": r"[A-Za-z0-9]{15}",
    "randomLocale": r"[a-z]{2}",
    "randomUserAgent": r"(Mozilla|Opera)/\d.*",
    "randomProtocol": r"https?",
    "randomSemver": r"\d\.\d\.\d",
    "randomFirstName": WORDS,
    "randomLastName": WORDS,
    "randomFullName": rf"{WORDS} {WORDS}",
    "randomNamePrefix": r"[A-Z][a-z]*\.?",
    "randomNameSuffix": r"[A-Z][A-Za-z]*\.?",
    "randomJobArea": r"[A-Z][a-z]+",
    "randomJobDescriptor": r"[A-Z][a-z]+",
    "randomJobTitle": r"[A-Z][a-z]+ [A-Z][a-z]+ [A-Z][a-z]+",
    "randomJobType": r"[A-Z][a-z]+",
    "randomPhoneNumber": r"[2-9]\d\d-\d{3}-\d{4}",
    "randomPhoneNumberExt": r"\d{1,2}-[2-9]\d\d-\d{3}-\d{4}",
    "randomCity": WORDS,
    "randomStreetName": WORDS,
    "randomStreetAddress": r"\d+ " + WORDS,
    "randomCountry": r"[A-Z].*",
    "randomCountryCode": r"[A-Z]{2}",
    "randomLatitude": lambda v: bool(re.fullmatch(r"-?\d+\.\d{4}", v)) and abs(float(v)) <= 90,
    "randomLongitude": lambda v: bool(re.fullmatch(r"-?\d+\.\d{4}", v)) and abs(float(v)) <= 180,
    "randomAvatarImage": r"https://avatars\.githubusercontent\.com/u/\d+",
    "randomImageUrl": r"https://loremflickr\.com/640/480",
    "randomAbstractImage": IMAGE + "abstract",
    "randomAnimalsImage": IMAGE + "animals",
    "randomBusinessImage": IMAGE + "business",
    "randomCatsImage": IMAGE + "cats",
    "randomCityImage": IMAGE + "city",
    "randomFoodImage": IMAGE + "food",
    "randomNightlifeImage": IMAGE + "nightlife",
    "randomFashionImage": IMAGE + "fashion",
    "randomPeopleImage": IMAGE + "people",
    "randomNatureImage": IMAGE + "nature",
    "randomSportsImage": IMAGE + "sports",
    "randomTransportImage": IMAGE + "transport",
    "randomImageDataUri": r"data:image/svg\+xml;charset=UTF-8,%3Csvg.*%3C%2Fsvg%3E",
    "randomBankAccount": r"\d{8}",
    "randomBankAccountName": r"[A-Z][a-z]+( [A-Z][a-z]+)? Account",
    "randomCreditCardMask": r"\d{4}",
    "randomBankAccountBic": r"[A-Z]{6}[A-Z0-9]{2}",
    "randomBankAccountIban": r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}",
    "randomTransactionType": r"deposit|withdrawal|payment|invoice",
    "randomCurrencyCode": r"[A-Z]{3}",
    "randomCurrencyName": r"\S.*",
    "randomCurrencySymbol": r"\S{1,4}",
    "randomBitcoin": r"[13][1-9A-HJ-NP-Za-km-z]{25,33}",
    "randomCompanyName": r"[A-Z].*",
    "randomCompanySuffix": r"[A-Za-z][A-Za-z ]*",
    "randomBs": r"\S+ \S+ \S+",
    "randomBsAdjective": r"\S+",
    "randomBsBuzz": r"\S+",
    "randomBsNoun": r"\S+",
    "randomCatchPhrase": r"[A-Z0-9]\S* \S+ .+",
    "randomCatchPhraseAdjective": r"[A-Z0-9]\S*",
    "randomCatchPhraseDescriptor": r"\S.*",
    "randomCatchPhraseNoun": r"\S.*",
    "randomDatabaseColumn": r"[a-zA-Z]+",
    "randomDatabaseType": r"[a-z]+",
    "randomDatabaseCollation": r"[a-z0-9]+_[a-z_]+",
    "randomDatabaseEngine": r"[A-Za-z]+",
    "randomDateFuture": lambda v: bool(re.fullmatch(JS_DATE, v)) and date_within(0, 365)(v),
    "randomDatePast": lambda v: bool(re.fullmatch(JS_DATE, v)) and date_within(-365, 0)(v),
    "randomDateRecent": lambda v: bool(re.fullmatch(JS_DATE, v)) and date_within(-1, 0)(v),
    "randomWeekday": r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday",
    "randomMonth": r"January|February|March|April|May|June|July|August|September|October|"
    r"November|December",
    "randomDomainName": r"[a-z0-9-]+\.[a-z]{2,}",
    "randomDomainSuffix": r"[a-z]{2,}",
    "randomDomainWord": r"[a-z0-9-]+",
    "randomEmail": r"[\w.+-]+@(gmail|yahoo|hotmail)\.com",
    "randomExampleEmail": r"[\w.+-]+@example\.(com|org|net)",
    "randomUserName": r"[\w.]+",
    "randomUrl": r"https?://[\w.-]+\.[a-z]{2,}",
    "randomFileName": r"[^/\s]+\.[a-z0-9]+",
    "randomFileType": r"[a-z]+",
    "randomFileExt": r"[a-z0-9]+",
    "randomCommonFileName": r"\w+\.(pdf|mpeg|wav|png|jpeg|gif|mp4|mpg|html)",
    "randomCommonFileType": r"video|audio|image|text|application",
    "randomCommonFileExt": r"pdf|mpeg|wav|png|jpeg|gif|mp4|mpg|html",
    "randomFilePath": r"(/[\w+.-]+)+/[^/\s]+\.[a-z0-9]+",
    "randomDirectoryPath": r"(/[\w+.-]+)+",
    "randomMimeType": r"[a-z]+/[\w.+-]+",
    "randomPrice": lambda v: bool(re.fullmatch(r"\d{1,4}\.\d\d", v)) and in_range(0, 1000)(v),
    "randomProduct": r"[A-Z][a-z]+",
    "randomProductAdjective": r"[A-Z][a-z]+",
    "randomProductMaterial": r"[A-Z][a-z]+",
    "randomProductName": r"[A-Z][a-z]+ [A-Z][a-z]+ [A-Z][a-z]+",
    "randomDepartment": r"[A-Z][a-z]+",
    "randomNoun": r"[a-z0-9 ]+",
    "randomVerb": r"[a-z ]+",
    "randomIngverb": r"[a-z]+ing( up)?",
    "randomAdjective": r"[a-z0-9 -]+",
    "randomWord": r"[\w -]+",
    "randomWords": r"[\w -]+( [\w-]+)+",
    "randomPhrase": r"[A-Z].*!",
    "randomLoremWord": r"[a-z]+",
    "randomLoremWords": r"[a-z]+ [a-z]+ [a-z]+",
    "randomLoremSentence": LOREM_SENTENCE,
    "randomLoremSentences": rf"{LOREM_SENTENCE}( {LOREM_SENTENCE}){{1,5}}",
    "randomLoremParagraph": rf"{LOREM_SENTENCE}( {LOREM_SENTENCE})*",
    "randomLoremParagraphs": r"[^\n]+\n \r[^\n]+\n \r[^\n]+",
    "randomLoremText": r"[A-Z][A-Za-z .\n]+\.",
    "randomLoremSlug": r"[a-z]+-[a-z]+-[a-z]+",
    "randomLoremLines": rf"{LOREM_SENTENCE}(\n{LOREM_SENTENCE}){{0,4}}",
}


def test_every_postman_dynamic_variable_is_served_and_checked() -> None:
    assert len(DYNAMIC_VARIABLES) == 118
    assert set(FORMATS) == set(DYNAMIC_VARIABLES)


@pytest.mark.parametrize("name", sorted(DYNAMIC_VARIABLES))
def test_dynamic_variable_has_postmans_kind_and_format(name: str) -> None:
    check = FORMATS[name]
    values = DynamicValues(seed=sum(map(ord, name)))
    for _ in range(20):
        value = values(name)
        ok = re.fullmatch(check, value, re.DOTALL) if isinstance(check, str) else check(value)
        assert ok, f"{name} gave {value!r}"


def test_unseeded_values_read_the_clock() -> None:
    values = DynamicValues(clock=lambda: 1_800_000_000.25)
    assert values("timestamp") == "1800000000"
    assert values("isoTimestamp") == "2027-01-15T08:00:00.250Z"
    iso = datetime.strptime(values("isoTimestamp"), "%Y-%m-%dT%H:%M:%S.%fZ")
    assert iso.replace(tzinfo=UTC).timestamp() == 1_800_000_000.25


def test_the_clock_is_the_real_one_by_default() -> None:
    assert DynamicValues().source.clock is time.time


def test_each_occurrence_gets_a_fresh_value() -> None:
    values = DynamicValues()
    guids = {values("guid") for _ in range(50)}
    assert len(guids) == 50
    assert all(uuid.UUID(g).version == 4 for g in guids)
    assert len({values("randomFullName") for _ in range(20)}) > 10


def test_a_seed_gives_the_same_values_every_run() -> None:
    first, second = DynamicValues(seed=42), DynamicValues(seed=42)
    names = sorted(DYNAMIC_VARIABLES)
    assert [first(n) for n in names] == [second(n) for n in names]
    assert [first(n) for n in names] != [DynamicValues(seed=43)(n) for n in names]


def test_locale_reaches_faker() -> None:
    values = DynamicValues(seed=1, locale="de_DE")
    assert values.source.faker.locales == ["de_DE"]
    assert values("randomCity")


def test_unknown_dynamic_variable_is_left_as_written() -> None:
    assert DynamicValues()("notAVariable") == "{{$notAVariable}}"


def test_faker_is_imported_only_when_a_variable_needs_it() -> None:
    code = (
        "import sys\n"
        "from mockpost.responses.dynamic import DynamicValues\n"
        "v = DynamicValues(); v('guid'); v('randomInt'); v.warm_up(['guid', 'randomInt'])\n"
        "assert 'faker' not in sys.modules, 'imported too early'\n"
        "v('randomFirstName')\n"
        "assert 'faker' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
