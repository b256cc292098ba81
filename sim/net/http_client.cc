#include "sim/net/http_client.h"
