#pragma once

#include <QLoggingCategory>

// One category per subsystem, so QT_LOGGING_RULES turns on exactly what a bug report needs.
Q_DECLARE_LOGGING_CATEGORY(lcEngine)
Q_DECLARE_LOGGING_CATEGORY(lcState)
Q_DECLARE_LOGGING_CATEGORY(lcConfig)
Q_DECLARE_LOGGING_CATEGORY(lcBigQuery)
Q_DECLARE_LOGGING_CATEGORY(lcTwenty)
Q_DECLARE_LOGGING_CATEGORY(lcSupabase)
Q_DECLARE_LOGGING_CATEGORY(lcLocal)
