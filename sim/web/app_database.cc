#include "sim/web/app_database.h"
