#include "sim/web/sentry_reporter.h"
