#include "sim/web/password_hash.h"
