#include "bigquery/tokenservice.h"

#include "bigquery/googleerror.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QUrlQuery>

#include <openssl/evp.h>
#include <openssl/pem.h>

namespace tf::emu {

namespace {

constexpr qint64 kLifetimeSeconds = 3599;
constexpr qint64 kMaxAssertionSeconds = 3600;
constexpr qint64 kClockSkewSeconds = 300;

const QString kJwtBearer = QStringLiteral("urn:ietf:params:oauth:grant-type:jwt-bearer");
const QString kTimeframe = QStringLiteral("Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. "
                                          "Check your iat and exp values in the JWT claim.");

HttpResponse oauthError(const QString &error, const QString &description)
{
    return HttpResponse::json(400, QJsonObject{{QStringLiteral("error"), error}, {QStringLiteral("error_description"), description}});
}

QByteArray base64Url(const QByteArray &text)
{
    return QByteArray::fromBase64(text, QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QJsonObject jsonPart(const QByteArray &part)
{
    return QJsonDocument::fromJson(base64Url(part)).object();
}

// The audiences a token request may carry: Google's token URIs, and this emulator's own /token as a key file's
// token_uri names it (§4.2 design note).
bool acceptedAudience(const QString &audience, const HttpRequest &request)
{
    static const QStringList google{QStringLiteral("https://oauth2.googleapis.com/token"),
                                    QStringLiteral("https://www.googleapis.com/oauth2/v4/token"),
                                    QStringLiteral("https://accounts.google.com/o/oauth2/token")};
    const QString own = QStringLiteral("http://%1/token").arg(QString::fromLatin1(request.header("host")));
    return google.contains(audience) || audience == own;
}

QString newToken()
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    QString token = QStringLiteral("ya29.c.");
    for (int i = 0; i < 120; ++i)
        token += QLatin1Char(alphabet[QRandomGenerator::global()->bounded(int(sizeof alphabet - 1))]);
    return token;
}

} // namespace

void TokenService::KeyDeleter::operator()(void *key) const
{
    EVP_PKEY_free(static_cast<EVP_PKEY *>(key));
}

TokenService::TokenService() = default;
TokenService::~TokenService() = default;

bool TokenService::loadPublicKey(const QString &pemFile, QString *error)
{
    QFile file(pemFile);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(pemFile, file.errorString());
        return false;
    }
    const QByteArray pem = file.readAll();
    BIO *bio = BIO_new_mem_buf(pem.constData(), int(pem.size()));
    EVP_PKEY *key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    if (!key || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
        EVP_PKEY_free(key);
        *error = QStringLiteral("%1 holds no PEM RSA public key (-----BEGIN PUBLIC KEY-----)").arg(pemFile);
        return false;
    }
    m_key.reset(key);
    return true;
}

bool TokenService::verifySignature(const QByteArray &signedPart, const QByteArray &signature) const
{
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    const bool ok = EVP_DigestVerifyInit(context, nullptr, EVP_sha256(), nullptr, static_cast<EVP_PKEY *>(m_key.get())) == 1
        && EVP_DigestVerify(context, reinterpret_cast<const unsigned char *>(signature.constData()), size_t(signature.size()),
                            reinterpret_cast<const unsigned char *>(signedPart.constData()), size_t(signedPart.size()))
            == 1;
    EVP_MD_CTX_free(context);
    return ok;
}

HttpResponse TokenService::exchange(const HttpRequest &request)
{
    if (!enabled())
        return oauthError(QStringLiteral("invalid_grant"),
                          QStringLiteral("tf-bigquery-emulator was started without --token-public-key: it issues no tokens and needs none"));
    QUrlQuery form(QString::fromUtf8(request.body).replace(QLatin1Char('+'), QLatin1Char(' ')));
    const QString grantType = form.queryItemValue(QStringLiteral("grant_type"), QUrl::FullyDecoded);
    if (grantType != kJwtBearer)
        return oauthError(QStringLiteral("unsupported_grant_type"), QStringLiteral("Invalid grant_type: %1").arg(grantType));
    const QByteArray assertion = form.queryItemValue(QStringLiteral("assertion"), QUrl::FullyDecoded).toLatin1();
    const QList<QByteArray> parts = assertion.split('.');
    if (parts.size() != 3)
        return oauthError(QStringLiteral("invalid_grant"), QStringLiteral("Invalid JWT: the assertion is not header.claims.signature"));
    const QJsonObject header = jsonPart(parts.at(0));
    const QJsonObject claims = jsonPart(parts.at(1));
    if (header.value(QStringLiteral("alg")).toString() != QLatin1String("RS256"))
        return oauthError(QStringLiteral("invalid_grant"), QStringLiteral("Invalid JWT: the algorithm must be RS256"));
    if (!verifySignature(parts.at(0) + '.' + parts.at(1), base64Url(parts.at(2))))
        return oauthError(QStringLiteral("invalid_grant"), QStringLiteral("Invalid JWT Signature."));
    if (claims.value(QStringLiteral("iss")).toString().isEmpty())
        return oauthError(QStringLiteral("invalid_grant"), QStringLiteral("Invalid email or User ID"));
    const QString audience = claims.value(QStringLiteral("aud")).toString();
    if (!acceptedAudience(audience, request)) {
        return oauthError(QStringLiteral("invalid_grant"),
                          QStringLiteral("Invalid JWT: Failed audience check. The right audience is http://%1/token")
                              .arg(QString::fromLatin1(request.header("host"))));
    }
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const qint64 issued = qint64(claims.value(QStringLiteral("iat")).toDouble());
    const qint64 expires = qint64(claims.value(QStringLiteral("exp")).toDouble());
    if (issued > now + kClockSkewSeconds || expires <= now || expires <= issued || expires - issued > kMaxAssertionSeconds)
        return oauthError(QStringLiteral("invalid_grant"), kTimeframe);
    const QStringList scopes = claims.value(QStringLiteral("scope")).toString().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    const bool bigquery = std::any_of(scopes.begin(), scopes.end(), [](const QString &scope) {
        return scope.startsWith(QLatin1String("https://www.googleapis.com/auth/bigquery"))
            || scope == QLatin1String("https://www.googleapis.com/auth/cloud-platform");
    });
    if (!bigquery)
        return oauthError(QStringLiteral("invalid_scope"), QStringLiteral("Invalid OAuth scope or ID token audience provided."));
    const QString token = newToken();
    m_tokens.insert(token, QDateTime::currentMSecsSinceEpoch() + kLifetimeSeconds * 1000);
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("access_token"), token},
                                              {QStringLiteral("expires_in"), kLifetimeSeconds},
                                              {QStringLiteral("token_type"), QStringLiteral("Bearer")}});
}

std::optional<HttpResponse> TokenService::check(const HttpRequest &request)
{
    if (!enabled())
        return std::nullopt;
    QString token = request.queryValue(QStringLiteral("access_token"));
    const QByteArray authorization = request.header("authorization");
    if (authorization.toLower().startsWith("bearer "))
        token = QString::fromLatin1(authorization.mid(7).trimmed());
    const QString help = QStringLiteral("Expected OAuth 2 access token, login cookie or other valid authentication credential. "
                                        "See https://developers.google.com/identity/sign-in/web/devconsole-project.");
    std::optional<GoogleError> error;
    if (token.isEmpty()) {
        error = GoogleError(401, QStringLiteral("required"), QStringLiteral("Login Required."), QStringLiteral("Authorization"),
                            QStringLiteral("header"));
        error->withSummary(QStringLiteral("Request is missing required authentication credential. ") + help);
    } else if (m_tokens.value(token, 0) <= QDateTime::currentMSecsSinceEpoch()) {
        error = GoogleError(401, QStringLiteral("authError"), QStringLiteral("Invalid Credentials"), QStringLiteral("Authorization"),
                            QStringLiteral("header"));
        error->withSummary(QStringLiteral("Request had invalid authentication credentials. ") + help);
    } else {
        return std::nullopt;
    }
    HttpResponse response = error->response();
    response.withHeader("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\"");
    return response;
}

} // namespace tf::emu
