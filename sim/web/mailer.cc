#include "sim/web/mailer.h"
