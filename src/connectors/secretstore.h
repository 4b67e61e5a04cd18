#pragma once

#include "core/layer.h"

#include <QString>

namespace tf {

// Where credentials come from: the environment first (servers, CI, systemd units), then the OS keychain through
// QtKeychain (Secret Service on Linux). Never from the config file, and never written anywhere in plain text: when
// no keychain is reachable, storing fails and says so (STYLE.md: no plain-text fallback).
class SecretStore
{
public:
    enum class Secret { TwentyApiKey, SupabasePassword, BigQueryServiceAccountKey };

    static QString environmentVariable(Secret secret); // TF_TWENTY_API_KEY, TF_SUPABASE_PASSWORD, ...
    static QString keychainKey(Secret secret);
    static QString describe(Secret secret);           // for "missing" messages
    static Layer layerOf(Secret secret);

    // Empty when neither the environment nor the keychain has it; `error` says why the keychain did not answer.
    static QString read(Secret secret, QString *error = nullptr);
    static bool write(Secret secret, const QString &value, QString *error);
    static bool remove(Secret secret, QString *error);

    // The service name entries are stored under (overridable for tests so they never touch a user's keychain).
    static QString serviceName();
};

} // namespace tf
