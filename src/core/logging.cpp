#include "core/logging.h"

Q_LOGGING_CATEGORY(lcEngine, "truthforge.engine")
Q_LOGGING_CATEGORY(lcState, "truthforge.state")
Q_LOGGING_CATEGORY(lcConfig, "truthforge.config")
Q_LOGGING_CATEGORY(lcBigQuery, "truthforge.bigquery")
Q_LOGGING_CATEGORY(lcTwenty, "truthforge.crm")
Q_LOGGING_CATEGORY(lcSupabase, "truthforge.supabase")
Q_LOGGING_CATEGORY(lcLocal, "truthforge.local")
