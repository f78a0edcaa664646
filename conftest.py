import os

# Tests run with production-like settings but without HTTPS redirects or a real secret.
os.environ.setdefault("DCUSA_INSECURE_DEFAULTS", "1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "*")
