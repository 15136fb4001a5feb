"""Just enough Django for the seed's middleware: no database, no apps."""
import peer_common

SECRET_KEY = 'not-secret: a test peer on loopback'
DEBUG = False
ALLOWED_HOSTS = ['127.0.0.1', 'localhost']
DATABASES = {}
INSTALLED_APPS = []
ROOT_URLCONF = 'peer_urls'
USE_TZ = True
# Django's default is America/Chicago: its log records' times would be six hours off the other services'.
TIME_ZONE = 'UTC'

MIDDLEWARE = [
    'seed_tracing.django_middleware.OpenTracingMiddleware',
]

# As the seed's README sets them; trace_id_header is left to the seed's default ('trace_id').
SERVICE_NAME = peer_common.SERVICE
OPENTRACING_TRACER_CONFIG = peer_common.seed_readme_config()
