"""The Django peer: `manage.py runserver 127.0.0.1:PORT --noreload`, Django's own dev server, as a user of the
seed would run it. Settings in peer_settings.py, views in peer_urls.py."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# seed_tracing and peer_common live one folder up.
sys.path.insert(1, os.path.dirname(HERE))
os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'peer_settings')

import peer_common  # noqa: E402
import seed_tracing  # noqa: E402  (before Django loads the middleware, which imports jaeger_client)

if __name__ == '__main__':
    from django.core.management import execute_from_command_line

    if sys.argv[1:2] == ['runserver']:
        peer_common.exit_on_sigterm(seed_tracing.close_tracer)
        peer_common.announce_when_listening(peer_common.PORT)
    execute_from_command_line(sys.argv)
