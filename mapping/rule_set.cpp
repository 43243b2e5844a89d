#include "mapping/rule_set.h"
