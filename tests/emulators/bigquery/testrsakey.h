#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <memory>

namespace tf::test {

// A throwaway RSA key for the token endpoint's tests: its public PEM for --token-public-key, and RS256 JWTs signed
// with it (the service-account assertion of bigquery-rest.md §4.2).
class TestRsaKey
{
public:
    static TestRsaKey generate();

    QByteArray publicPem() const;
    QByteArray jwt(const QJsonObject &claims) const; // header {"alg":"RS256","typ":"JWT"}

private:
    std::shared_ptr<void> m_key; // EVP_PKEY
};

} // namespace tf::test
