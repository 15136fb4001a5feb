"""Error logs as spans, in the seed's style: each error record becomes a `logger[name]` child of the active span."""
import datetime
import logging

import opentracing
from opentracing.ext import tags

from . import EVENT_LOG_ERROR, SPAN_KIND_LOG, TAG_LOGGER


class ErrorTraceHandler(logging.Handler):
    def __init__(self, level=logging.ERROR):
        super().__init__(level)

    def emit(self, record):
        try:
            parent = opentracing.global_tracer().active_span
            if parent is None:
                # Logged outside a traced request (start-up, the reporter's own thread): nothing to attach to.
                return
            with opentracing.global_tracer().start_span(f'logger[{record.name}]', child_of=parent) as span:
                span.set_tag(tags.SPAN_KIND, SPAN_KIND_LOG)
                span.set_tag(TAG_LOGGER, record.name)
                span.log_kv({
                    'event': EVENT_LOG_ERROR,
                    'message': self.format(record),
                    'log.asctime': datetime.datetime.fromtimestamp(record.created).isoformat(),
                    'log.levelname': record.levelname,
                    'log.name': record.name,
                    'log.pathname': record.pathname,
                    'log.lineno': record.lineno,
                    'log.funcName': record.funcName,
                    'log.process': record.process,
                    'log.thread': record.thread,
                })
        except Exception:
            self.handleError(record)
