"""A Flask service traced the way the seed project's README sets it up: jaeger_client, `trace_id` header."""
import peer_common
import seed_tracing
from flask_jaeger_client import serve

if __name__ == '__main__':
    # The README's config, pointed at the test's Jaeger. trace_id_header is left to the seed's default.
    serve(seed_tracing.init_tracer, peer_common.seed_readme_config())
