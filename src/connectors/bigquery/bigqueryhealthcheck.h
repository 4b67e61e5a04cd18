#pragma once

#include "connectors/bigquery/bigqueryclient.h"
#include "connectors/bigquery/tableprovisioner.h"
#include "core/connector.h"

namespace tf {

// The checks the safety report shows for the canonical layer, from one tables.get: the API answers
// ("reachable"), it takes our credentials ("credentials"), the table has the contract's columns with their types
// and modes ("schema"), and this computer's clock agrees with the Date header of the answer ("clock skew": the
// JWT's iat/exp and the token's refresh margin assume it does, §4.2).
class BigQueryHealthCheck
{
public:
    BigQueryHealthCheck(BigQueryClient &client, TableProvisioner &provisioner, const TableRef &table);

    QList<HealthCheck> run();

private:
    HealthCheck clockSkew() const;

    BigQueryClient &m_client;
    TableProvisioner &m_provisioner;
    TableRef m_table;
};

} // namespace tf
