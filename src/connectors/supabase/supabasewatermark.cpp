#include "connectors/supabase/supabasewatermark.h"

#include "core/connector.h"

namespace tf {

QString SupabaseWatermark::encode() const
{
    if (phase == Phase::Full)
        return QStringLiteral("full:%1:%2").arg(txid).arg(afterContactId);
    return QStringLiteral("log:%1:%2").arg(txid).arg(seq);
}

SupabaseWatermark SupabaseWatermark::decode(const QString &text)
{
    SupabaseWatermark mark;
    if (text.isEmpty())
        return mark;
    const QString kind = text.section(QLatin1Char(':'), 0, 0);
    bool txidOk = false;
    mark.txid = text.section(QLatin1Char(':'), 1, 1).toULongLong(&txidOk);
    const QString rest = text.section(QLatin1Char(':'), 2); // a contact id may itself contain ':'
    bool restOk = text.count(QLatin1Char(':')) >= 2;
    if (kind == QLatin1String("full")) {
        mark.afterContactId = rest;
    } else if (kind == QLatin1String("log")) {
        mark.phase = Phase::Log;
        mark.seq = rest.toLongLong(&restOk);
    } else {
        restOk = false;
    }
    if (!txidOk || !restOk || (mark.phase == Phase::Log && mark.txid == 0)) {
        throw ConnectorError(Layer::Supabase, ConnectorError::Kind::Configuration,
                             QStringLiteral("watermark \"%1\" was not written by the supabase connector "
                                            "(expected full:<txid>:<id> or log:<txid>:<seq>)")
                                 .arg(text.left(200)));
    }
    return mark;
}

} // namespace tf
