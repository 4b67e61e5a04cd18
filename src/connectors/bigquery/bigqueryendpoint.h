#pragma once

#include "connectors/bigquery/serviceaccountkey.h"

#include <QUrl>
#include <optional>

namespace tf {

struct BigQuerySettings;

// Where and as whom the connector calls BigQuery, resolved once from the settings and the environment.
//
// Base URL (bigquery-rest.md §0, §5.2): `endpoint=` from the config + "/bigquery/v2/"; else BIGQUERY_EMULATOR_HOST
// verbatim, without that prefix, as the official clients use it; else https://bigquery.googleapis.com/bigquery/v2/.
// Credentials (§4.3): an emulator takes anonymous calls, so none are sent to one unless the config names a key
// file (`credentialsPath`; that is how tests drive the token exchange against the emulator's /token). Google's
// endpoints get the key of `credentialsPath`, else GOOGLE_APPLICATION_CREDENTIALS, else the key JSON the caller
// found in the keychain. An endpoint whose host is not *.googleapis.com counts as an emulator.
struct BigQueryEndpoint {
    QUrl baseUrl; // ends with '/'
    bool emulator = false;
    std::optional<ServiceAccountKey> key; // none = anonymous
    QString project;                      // [bigquery] project, else the key's project_id, else GOOGLE_CLOUD_PROJECT

    // Throws ConnectorError (Configuration) naming what is missing: a key for Google, a project.
    static BigQueryEndpoint resolve(const BigQuerySettings &settings, const QByteArray &keychainKeyJson = {});
    // Whether resolve() takes its key from the keychain (Google's endpoint, no key file named anywhere), so a
    // caller reads the keychain only then.
    static bool needsKeychainKey(const BigQuerySettings &settings);
    QString describe() const; // "emulator at http://127.0.0.1:9050/ (anonymous)"
};

} // namespace tf
