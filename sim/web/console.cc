#include "sim/web/console.h"
