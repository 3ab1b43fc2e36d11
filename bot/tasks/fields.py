"""The names and closed values the forms work with (one list each, used everywhere)."""

REGISTRATION_SLOTS = (
    "national_number",
    "given_name",
    "family_name",
    "birth_date",
    "postcode",
    "phone",
    "email",
    "education_level",
    "occupation",
)
DOCUMENT_TYPES = (
    "jobseeker_certificate",
    "residence_certificate",
    "household_composition",
    "criminal_record_extract",
    "birth_certificate",
)
EDUCATION_LEVELS = ("none", "primary", "secondary", "higher")
DELIVERY_METHODS = ("post", "email", "counter")
OCCUPATIONS = (
    "cleaning",
    "construction",
    "care",
    "kitchen",
    "shop",
    "warehouse",
    "driver",
    "office",
)
