#include "sim/web/geocoder.h"
