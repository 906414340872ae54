"""Word lists for the dynamic variables that Python's Faker has no generator for.

Postman's values come from faker.js, whose commerce, hacker, database and job-title parts have
no counterpart in Python's Faker; these short lists give values of the same kind.
"""

from __future__ import annotations

DEPARTMENTS = (
    "Books", "Movies", "Music", "Games", "Electronics", "Computers", "Home", "Garden", "Tools",
    "Grocery", "Health", "Beauty", "Toys", "Kids", "Baby", "Clothing", "Shoes", "Jewelery",
    "Sports", "Outdoors", "Automotive", "Industrial",
)  # fmt: skip
PRODUCT_ADJECTIVES = (
    "Small", "Ergonomic", "Rustic", "Intelligent", "Gorgeous", "Incredible", "Fantastic",
    "Practical", "Sleek", "Awesome", "Generic", "Handcrafted", "Handmade", "Licensed", "Refined",
    "Unbranded", "Tasty",
)  # fmt: skip
PRODUCT_MATERIALS = (
    "Steel", "Wooden", "Concrete", "Plastic", "Cotton", "Granite", "Rubber", "Metal", "Soft",
    "Fresh", "Frozen",
)  # fmt: skip
PRODUCTS = (
    "Chair", "Car", "Computer", "Keyboard", "Mouse", "Bike", "Ball", "Gloves", "Pants", "Shirt",
    "Table", "Shoes", "Hat", "Towels", "Soap", "Tuna", "Chicken", "Fish", "Cheese", "Bacon",
    "Pizza", "Salad", "Sausages", "Chips",
)  # fmt: skip

DATABASE_COLUMNS = (
    "id", "title", "name", "email", "phone", "token", "group", "category", "password",
    "comment", "avatar", "status", "createdAt", "updatedAt",
)  # fmt: skip
DATABASE_TYPES = (
    "int", "varchar", "text", "date", "datetime", "tinyint", "time", "timestamp", "smallint",
    "mediumint", "bigint", "decimal", "float", "double", "real", "bit", "boolean", "serial",
    "blob", "binary", "enum", "set", "geometry", "point",
)  # fmt: skip
DATABASE_COLLATIONS = (
    "utf8_unicode_ci", "utf8_general_ci", "utf8_bin", "ascii_bin", "ascii_general_ci",
    "cp1250_bin", "cp1250_general_ci",
)  # fmt: skip
DATABASE_ENGINES = ("InnoDB", "MyISAM", "MEMORY", "CSV", "BLACKHOLE", "ARCHIVE")

HACKER_ABBREVIATIONS = (
    "ADP", "AGP", "AI", "API", "ASCII", "CLI", "COM", "CSS", "DNS", "DRAM", "EXE", "FTP", "GB",
    "HDD", "HEX", "HTTP", "IB", "IP", "JBOD", "JSON", "OCR", "PCI", "PNG", "RAM", "RSS", "SAS",
    "SCSI", "SDD", "SMS", "SMTP", "SQL", "SSD", "SSL", "TCP", "THX", "TLS", "UDP", "USB", "UTF8",
    "VGA", "XML", "XSS",
)  # fmt: skip
HACKER_ADJECTIVES = (
    "auxiliary", "primary", "back-end", "digital", "open-source", "virtual", "cross-platform",
    "redundant", "online", "haptic", "multi-byte", "bluetooth", "wireless", "1080p", "neural",
    "optical", "solid state", "mobile",
)  # fmt: skip
HACKER_NOUNS = (
    "driver", "protocol", "bandwidth", "panel", "microchip", "program", "port", "card", "array",
    "interface", "system", "sensor", "firewall", "hard drive", "pixel", "alarm", "feed",
    "monitor", "application", "transmitter", "bus", "circuit", "capacitor", "matrix",
)  # fmt: skip
HACKER_VERBS = (
    "back up", "bypass", "hack", "override", "compress", "copy", "navigate", "index", "connect",
    "generate", "quantify", "calculate", "synthesize", "input", "transmit", "program", "reboot",
    "parse",
)  # fmt: skip
HACKER_INGVERBS = (
    "backing up", "bypassing", "hacking", "overriding", "compressing", "copying", "navigating",
    "indexing", "connecting", "generating", "quantifying", "calculating", "synthesizing",
    "transmitting", "programming", "parsing",
)  # fmt: skip
HACKER_PHRASES = (
    "If we {verb} the {noun}, we can get to the {abbreviation} {noun} through the {adjective} "
    "{abbreviation} {noun}!",
    "We need to {verb} the {adjective} {abbreviation} {noun}!",
    "Try to {verb} the {abbreviation} {noun}, maybe it will {verb} the {adjective} {noun}!",
    "You can't {verb} the {noun} without {ingverb} the {adjective} {abbreviation} {noun}!",
    "Use the {adjective} {abbreviation} {noun}, then you can {verb} the {adjective} {noun}!",
    "The {abbreviation} {noun} is down, {verb} the {adjective} {noun} so we can {verb} the "
    "{abbreviation} {noun}!",
    "{ingverb} the {noun} won't do anything, we need to {verb} the {adjective} {abbreviation} "
    "{noun}!",
    "I'll {verb} the {adjective} {abbreviation} {noun}, that should {noun} the {abbreviation} "
    "{noun}!",
)

JOB_DESCRIPTORS = (
    "Lead", "Senior", "Direct", "Corporate", "Dynamic", "Future", "Product", "National",
    "Regional", "District", "Central", "Global", "Customer", "Investor", "Internal",
    "International", "Legacy", "Forward", "Human", "Chief", "Principal",
)  # fmt: skip
JOB_AREAS = (
    "Solutions", "Program", "Brand", "Security", "Research", "Marketing", "Directives",
    "Implementation", "Integration", "Functionality", "Response", "Paradigm", "Tactics",
    "Identity", "Markets", "Group", "Division", "Applications", "Optimization", "Operations",
    "Infrastructure", "Intranet", "Communications", "Web", "Branding", "Quality", "Assurance",
    "Mobility", "Accounts", "Data", "Creative", "Configuration", "Accountability",
    "Interactions", "Factors", "Usability", "Metrics",
)  # fmt: skip
JOB_TYPES = (
    "Supervisor", "Associate", "Executive", "Liaison", "Officer", "Manager", "Engineer",
    "Specialist", "Director", "Coordinator", "Administrator", "Architect", "Analyst", "Designer",
    "Planner", "Orchestrator", "Technician", "Developer", "Producer", "Consultant", "Assistant",
    "Facilitator", "Agent", "Representative", "Strategist",
)  # fmt: skip

BANK_ACCOUNT_NAMES = (
    "Checking", "Savings", "Money Market", "Investment", "Home Loan", "Credit Card", "Auto Loan",
    "Personal Loan",
)  # fmt: skip
TRANSACTION_TYPES = ("deposit", "withdrawal", "payment", "invoice")

IMAGE_CATEGORIES = {
    "randomAbstractImage": "abstract",
    "randomAnimalsImage": "animals",
    "randomBusinessImage": "business",
    "randomCatsImage": "cats",
    "randomCityImage": "city",
    "randomFoodImage": "food",
    "randomNightlifeImage": "nightlife",
    "randomFashionImage": "fashion",
    "randomPeopleImage": "people",
    "randomNatureImage": "nature",
    "randomSportsImage": "sports",
    "randomTransportImage": "transport",
}

COMMON_FILE_TYPES = ("video", "audio", "image", "text", "application")
COMMON_FILE_EXTENSIONS = ("pdf", "mpeg", "wav", "png", "jpeg", "gif", "mp4", "mpg", "html")
DIRECTORY_PATHS = (
    "/Applications", "/bin", "/boot", "/dev", "/etc", "/etc/defaults", "/home", "/home/user",
    "/lib", "/Library", "/media", "/mnt", "/net", "/opt", "/opt/bin", "/opt/lib", "/private",
    "/private/tmp", "/proc", "/root", "/sbin", "/srv", "/sys", "/System", "/tmp", "/Users",
    "/usr", "/usr/bin", "/usr/include", "/usr/lib", "/usr/local/bin", "/usr/local/src",
    "/usr/sbin", "/usr/share", "/usr/src", "/var", "/var/log", "/var/mail", "/var/spool",
    "/var/tmp",
)  # fmt: skip
LANGUAGE_CODES = (
    "af", "am", "ar", "az", "be", "bg", "bn", "bs", "ca", "cs", "cy", "da", "de", "el", "en",
    "eo", "es", "et", "eu", "fa", "fi", "fo", "fr", "fy", "ga", "gd", "gl", "gu", "ha", "he",
    "hi", "hr", "ht", "hu", "hy", "ia", "id", "ig", "is", "it", "ja", "jv", "ka", "kk", "km",
    "kn", "ko", "ku", "ky", "la", "lb", "ln", "lo", "lt", "lv", "mg", "mi", "mk", "ml", "mn",
    "mr", "ms", "mt", "my", "nb", "ne", "nl", "nn", "no", "ny", "oc", "om", "or", "pa", "pl",
    "ps", "pt", "qu", "rm", "ro", "ru", "sd", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr",
    "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk", "to", "tr", "tt", "ug", "uk",
    "ur", "uz", "vi", "wa", "xh", "yi", "yo", "zh", "zu",
)  # fmt: skip
BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
