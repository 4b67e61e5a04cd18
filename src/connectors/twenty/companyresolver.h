#pragma once

#include <QHash>
#include <QStringList>

namespace tf {

class TwentyClient;

// The contract's `organization` is a text; Twenty keeps it as the person's companyId, a relation to a Company
// (contact-fields.tsv: "find-or-create the Twenty Company by name"). Both directions are cached for the life of
// the connector: a company renamed in Twenty keeps its old name here until the connector is rebuilt.
class CompanyResolver
{
public:
    explicit CompanyResolver(TwentyClient &client);

    // Company ids for these names, creating the companies that do not exist yet: one lookup and one batch
    // create per call at most. A name held by several companies resolves to the oldest.
    QHash<QString, QString> idsForNames(const QStringList &names);
    // Names for these company ids; ids Twenty does not know (a destroyed company) are absent.
    QHash<QString, QString> namesForIds(const QStringList &ids);

private:
    void remember(const QString &id, const QString &name);

    TwentyClient &m_client;
    QHash<QString, QString> m_idByName;
    QHash<QString, QString> m_nameById;
};

} // namespace tf
