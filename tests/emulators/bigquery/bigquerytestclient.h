#pragma once

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QUrl>

namespace tf::test {

struct BigQueryReply {
    int status = 0; // 0: no HTTP answer
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // names lower-cased
    QJsonObject json;

    QString errorMessage() const;    // error.message
    QString errorReason() const;     // error.errors[0].reason
    QJsonArray rows() const;         // rows, each as the list of its v values
    QString jobId() const;           // jobReference.jobId
    QString describe() const;        // status and body, for failure messages
};

// A plain HTTP client for tf-bigquery-emulator's conformance suites: QNetworkAccessManager, synchronous, JSON bodies,
// paths relative to /bigquery/v2/projects/<project>/ (or /projects/<project>/ in the BIGQUERY_EMULATOR_HOST form).
class BigQueryTestClient
{
public:
    explicit BigQueryTestClient(QUrl base, QString project = QStringLiteral("test-project"));

    void setPrefix(const QString &prefix) { m_prefix = prefix; } // "/bigquery/v2" (default) or ""
    void setBearer(const QByteArray &token) { m_bearer = token; } // empty: no Authorization header

    BigQueryReply send(const QByteArray &method, const QString &path, const QJsonObject &body = {});
    // Any request, exactly as given: absolute path with query, raw body.
    BigQueryReply sendRaw(const QByteArray &method, const QString &pathAndQuery, const QByteArray &body,
                          const QByteArray &contentType = "application/json");

    // jobs.query with useLegacySql:false and `extra` merged in.
    BigQueryReply query(const QString &sql, const QJsonObject &extra = {});
    // jobs.query; fails the calling test (returns an empty object) unless it answers 200.
    BigQueryReply run(const QString &sql, const QJsonObject &extra = {});
    BigQueryReply results(const QString &jobId, const QString &queryString = QString());

    BigQueryReply createDataset(const QString &dataset);
    BigQueryReply createTable(const QString &dataset, const QString &table, const QJsonArray &fields);
    BigQueryReply insertAll(const QString &dataset, const QString &table, const QJsonArray &rows, const QJsonObject &options = {});

    // QueryParameter JSON (§1.1).
    static QJsonObject parameter(const QString &name, const QJsonObject &type, const QJsonObject &value);
    static QJsonObject scalar(const QString &type) { return QJsonObject{{QStringLiteral("type"), type}}; }
    static QJsonObject value(const QJsonValue &value) { return QJsonObject{{QStringLiteral("value"), value}}; }
    static QJsonObject namedParameters(const QJsonArray &parameters);

    // A verbatim example of specs/bigquery-rest.md kept in tests/emulators/bigquery/testdata/ (see its README).
    static QByteArray specExample(const QString &fileName);

    // An emulator admin switch (/__emulator/<name>).
    QJsonObject admin(const QByteArray &method, const QString &name, const QJsonObject &body = {});

    QString project() const { return m_project; }

private:
    QUrl m_base;
    QString m_project;
    QString m_prefix = QStringLiteral("/bigquery/v2");
    QByteArray m_bearer;
    QNetworkAccessManager m_network;
};

} // namespace tf::test
