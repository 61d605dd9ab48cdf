"""Tadamun settings: every value that differs between machines comes from the
environment (see README, "Production"). Nothing here is edited per deployment."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from conference import countries, env

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env.get_bool("DEBUG", False)

_DEV_SECRET = "django-insecure-tadamun-development-only-key-do-not-use-in-production"  # noqa: S105 - DEBUG only, refused in production
SECRET_KEY = env.get_str("SECRET_KEY")
if SECRET_KEY is None:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Environment variable SECRET_KEY: is required when DEBUG is off "
            "(set DEBUG=1 for development, or a long random SECRET_KEY)."
        )
    SECRET_KEY = _DEV_SECRET
elif not DEBUG:
    env.check_secret("SECRET_KEY", SECRET_KEY, min_length=50, known=(_DEV_SECRET,))
# The start-up profile. pytest-django turns DEBUG off inside every test; this stays, so
# commands that must never run on real data (``manage.py demo``) can ask it.
DEVELOPMENT_PROFILE = DEBUG

ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "Environment variable ALLOWED_HOSTS: is required when DEBUG is off "
        "(comma-separated host names, e.g. tadamun.example.org)."
    )
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "import_export",
    "django_countries",
    "conference.apps.ConferenceConfig",
    "registrations.apps.RegistrationsConfig",
    "sessions.apps.ProgrammeConfig",
    "visas.apps.VisasConfig",
    "donations.apps.DonationsConfig",
    "exchanges.apps.ExchangesConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "conference.middleware.SecurityHeadersMiddleware",
    "conference.middleware.AdminTwoFactorMiddleware",
]

ROOT_URLCONF = "conference.urls"
WSGI_APPLICATION = "conference.wsgi.application"
ASGI_APPLICATION = "conference.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "conference.context_processors.site",
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------------
DATABASES = {
    "default": env.parse_database_url(
        env.get_str("DATABASE_URL", "sqlite:///db.sqlite3"), base_dir=BASE_DIR
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and background work -------------------------------------------------------
REDIS_URL = env.get_str("REDIS_URL")
if REDIS_URL:
    env.check_redis_url(REDIS_URL)
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.get_str("CACHE_KEY_PREFIX", "tadamun"),
            "TIMEOUT": 300,
        }
    }
elif not DEBUG:
    # allauth's login limits and the TOTP replay guard live in the cache: in each
    # worker's own memory they would count each gunicorn worker apart.
    raise ImproperlyConfigured(
        "Environment variable REDIS_URL: is required when DEBUG is off (login limits and "
        "the two-factor replay guard must be shared by every worker), e.g. "
        "redis://127.0.0.1:6379/0."
    )
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "tadamun",
        }
    }

# Without Redis the embedded default runs every task in-process, at the call.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.get_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Baghdad"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic work, run by the worker started with -B (see README).
CELERY_BEAT_SCHEDULE = {
    "prune-outgoing-email": {
        "task": "conference.tasks.prune_outgoing_email",
        "schedule": 6 * 3600,
    },
    # A freed seat offered to the waiting list passes on soon after its offer expires.
    "expire-seat-offers": {
        "task": "registrations.tasks.expire_offers",
        "schedule": 5 * 60,
    },
}

# --- E-mail --------------------------------------------------------------------------
_email = env.parse_email_url(env.get_str("EMAIL_URL", "console://"))
EMAIL_BACKEND = _email.pop("EMAIL_BACKEND")
globals().update(_email)
DEFAULT_FROM_EMAIL = env.get_str("DEFAULT_FROM_EMAIL", "Tadamun <noreply@tadamun.invalid>")
SERVER_EMAIL = env.get_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Absolute address of the site, for links in e-mails and PDFs (no request is at hand there).
SITE_URL = env.get_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG else None, required=not DEBUG)
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("Environment variable SITE_URL: must start with http:// or https://.")
SITE_URL = SITE_URL.rstrip("/")
# Sent e-mails hold personal data in their bodies: keep them only this long.
OUTGOING_EMAIL_KEEP_DAYS = env.get_int("OUTGOING_EMAIL_KEEP_DAYS", 30, minimum=1)
ADMINS = [("Admin", address) for address in env.get_list("ADMIN_EMAILS")]

# --- Authentication ------------------------------------------------------------------
AUTH_USER_MODEL = "conference.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Following the link in the browser that signed up signs her in and resumes where she
# was (the sign-up's ``next``); allauth never does it for another browser's session.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_ADAPTER = "conference.adapters.AccountAdapter"
# Tell people when their password, e-mail or two-factor set-up changes: for someone at
# risk, an unexpected change is the first sign of a taken-over account.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Tadamun · "
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Sign-ins from one network address: at the venue hundreds of delegates share one NAT
# address, so this budget is a venue's (sign-ins a minute, failed ones in 5 minutes);
# each account keeps its own strict limit of 5 failures in 5 minutes.
LOGIN_LIMIT_PER_ADDRESS = env.get_int("LOGIN_LIMIT_PER_ADDRESS", 100, minimum=5)
# allauth's limits, all on (these are its defaults, written out because naming one key
# replaces the whole dict); failed logins are stricter per account, since staff
# accounts guard personal data.
ACCOUNT_RATE_LIMITS = {
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reset_password": "20/m/ip,5/m/key",
    "reauthenticate": "10/m/user",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "login": f"{LOGIN_LIMIT_PER_ADDRESS}/m/ip",
    "request_login_code": "20/m/ip,3/m/key",
    "login_failed": f"{LOGIN_LIMIT_PER_ADDRESS}/5m/ip,5/5m/key",
    "confirm_email": "1/180s/key",
}
# Staff (every edition role and superusers) must have TOTP before any staff page:
# conference.permissions enforces it.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Tadamun"
# One 30-second step either side (RFC 6238's advice): phones' clocks drift, and a code
# typed as the step turns over must still work.
MFA_TOTP_TOLERANCE = 1

# --- Personal data -------------------------------------------------------------------
_field_keys = env.get_str("FIELD_ENCRYPTION_KEYS")
if _field_keys:
    FIELD_ENCRYPTION_KEYS = env.parse_fernet_keys(_field_keys)
    if not DEBUG and env.derive_development_fernet_key(_DEV_SECRET) in FIELD_ENCRYPTION_KEYS:
        raise ImproperlyConfigured(
            "Environment variable FIELD_ENCRYPTION_KEYS: holds the development key, never "
            "safe in production; make a new key (see README, Production)."
        )
elif DEBUG:
    FIELD_ENCRYPTION_KEYS = [env.derive_development_fernet_key(SECRET_KEY)]
else:
    raise ImproperlyConfigured(
        "Environment variable FIELD_ENCRYPTION_KEYS: is required when DEBUG is off "
        "(comma-separated Fernet keys, newest first)."
    )

# A keyed hash sits beside encrypted columns that need a lookup or uniqueness (passport
# numbers). It has its own key because FIELD_ENCRYPTION_KEYS rotate and this must not.
FIELD_HASH_KEY = env.get_str("FIELD_HASH_KEY")
if not FIELD_HASH_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Environment variable FIELD_HASH_KEY: is required when DEBUG is off "
            "(a long random string, at least 32 characters, never changed)."
        )
    FIELD_HASH_KEY = f"tadamun-dev-hash-key:{SECRET_KEY}"
else:
    env.check_secret(
        "FIELD_HASH_KEY", FIELD_HASH_KEY, min_length=32,
        known=() if DEBUG else (f"tadamun-dev-hash-key:{_DEV_SECRET}",),
    )
    if not DEBUG and FIELD_HASH_KEY == SECRET_KEY:
        raise ImproperlyConfigured(
            "Environment variable FIELD_HASH_KEY: must differ from SECRET_KEY (one leaked "
            "key must not give away the other)."
        )
# Uploaded answers (letters from organisations): the size and types every form accepts.
UPLOAD_MAX_BYTES = 10 * 1024 * 1024

# --- Internationalisation ------------------------------------------------------------
LANGUAGE_CODE = "ar"
LANGUAGES = [
    ("ar", _("Arabic")),
    ("ckb", _("Central Kurdish (Sorani)")),
    ("en", _("English")),
]
# Names each language uses for itself, for the switcher: a reader looks for their own.
LANGUAGE_SELF_NAMES = {"ar": "العربية", "ckb": "کوردی", "en": "English"}
# Where a text written by organizers lacks the reader's language, show these instead, in
# this order (see conference.i18n).
LANGUAGE_FALLBACKS = {"ar": ["en", "ckb"], "ckb": ["ar", "en"], "en": ["ar", "ckb"]}
# Country names in the reader's language, Sorani included (conference/countries.py).
COUNTRIES_OVERRIDE = countries.name_overrides()
# locale/ is the project's own catalogue (makemessages writes it); locale_vendor/ holds
# translations of third-party strings (allauth ships no Sorani) and is edited by hand.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Baghdad"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

# --- Files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.get_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Fonts come from npm at set-up time (package.json), never copied into the repository.
    ("vendor/noto-sans-arabic", NODE_MODULES / "@fontsource" / "noto-sans-arabic" / "files"),
    ("vendor/noto-sans", NODE_MODULES / "@fontsource" / "noto-sans" / "files"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.get_str("MEDIA_ROOT", str(BASE_DIR / "media")))

S3_BUCKET = env.get_str("S3_BUCKET")
_default_storage: dict = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": MEDIA_URL},
}
if S3_BUCKET:
    # Personal documents live here: objects are private and served by signed URLs.
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env.get_str("S3_ENDPOINT_URL"),
            "region_name": env.get_str("S3_REGION"),
            "access_key": env.get_str("S3_ACCESS_KEY_ID", required=True),
            "secret_key": env.get_str("S3_SECRET_ACCESS_KEY", required=True),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Reference data (tracks, governorates, the funder-exclusion starter list) ships inside
# the repository, so a clone runs with nothing beside it; the variable only overrides it.
REFERENCE_DATA_DIR = Path(env.get_str("REFERENCE_DATA_DIR", str(BASE_DIR / "conference" / "data")))

# --- Security ------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.get_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env.get_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.get_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env.get_bool("SECURE_HSTS_PRELOAD", True)
    # Behind a TLS-terminating proxy (nginx, a load balancer) that sets this header.
    if env.get_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz is polled over plain HTTP by load balancers and must not be redirected.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env.get_choice("LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]),
    },
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
