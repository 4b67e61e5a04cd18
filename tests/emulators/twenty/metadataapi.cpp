#include "twenty/metadataapi.h"

#include "twenty/apierror.h"
#include "twenty/uuids.h"
#include "twenty/workspace.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>

namespace tf::emu {

namespace {

HttpResponse envelope(int status, const QString &key, const QJsonValue &value)
{
    return HttpResponse::json(status, QJsonObject{{QStringLiteral("data"), QJsonObject{{key, value}}}});
}

QJsonObject parseBody(const HttpRequest &request)
{
    QJsonParseError error;
    const QJsonDocument body = QJsonDocument::fromJson(request.body, &error);
    if (error.error != QJsonParseError::NoError || !body.isObject())
        throw ApiError::badRequest(QStringLiteral("Body must be a JSON object"));
    return body.object();
}

QString checkedId(const QString &id)
{
    if (!Uuids::isPostgresUuid(id))
        throw ApiError::badRequest(QStringLiteral("'%1' is not a valid UUID").arg(id));
    return id.toLower();
}

// A page of metadata items ordered by id; starting_after / ending_before are ids (§2.2, last paragraph).
HttpResponse page(const HttpRequest &request, const QString &key, QList<QJsonObject> items)
{
    std::sort(items.begin(), items.end(), [](const QJsonObject &a, const QJsonObject &b) {
        return a.value(QStringLiteral("id")).toString() < b.value(QStringLiteral("id")).toString();
    });
    const QString after = request.queryValue(QStringLiteral("starting_after")).toLower();
    const QString before = request.queryValue(QStringLiteral("ending_before")).toLower();
    if (!after.isEmpty() && !before.isEmpty())
        throw ApiError::badRequest(QStringLiteral("Cannot use both 'starting_after' and 'ending_before'"));
    for (const QString &cursor : {after, before}) {
        if (!cursor.isEmpty() && !Uuids::isPostgresUuid(cursor))
            throw ApiError::badRequest(QStringLiteral("Invalid cursor: %1").arg(cursor));
    }
    const QString limitText = request.queryValue(QStringLiteral("limit"));
    bool ok = true;
    const int limit = limitText.isEmpty() ? 1000 : limitText.toInt(&ok);
    if (!ok || limit < 0)
        throw ApiError::badRequest(QStringLiteral("limit '%1' is invalid. Should be an integer").arg(limitText));
    const auto idOf = [](const QJsonObject &item) { return item.value(QStringLiteral("id")).toString(); };
    qsizetype begin = 0;
    qsizetype end = items.size();
    if (!after.isEmpty()) {
        while (begin < items.size() && idOf(items.at(begin)) <= after)
            ++begin;
        end = qMin(items.size(), begin + limit);
    } else if (!before.isEmpty()) {
        end = 0;
        while (end < items.size() && idOf(items.at(end)) < before)
            ++end;
        begin = qMax<qsizetype>(0, end - limit);
    } else {
        end = qMin(items.size(), qsizetype(limit));
    }
    QJsonArray list;
    for (qsizetype i = begin; i < end; ++i)
        list.append(items.at(i));
    const bool backward = !before.isEmpty();
    const auto cursor = [&](qsizetype index) { return list.isEmpty() ? QJsonValue() : QJsonValue(idOf(items.at(index))); };
    return HttpResponse::json(
        200, QJsonObject{{QStringLiteral("data"), QJsonObject{{key, list}}},
                         {QStringLiteral("totalCount"), int(items.size())},
                         {QStringLiteral("pageInfo"),
                          QJsonObject{{QStringLiteral("startCursor"), cursor(begin)},
                                      {QStringLiteral("endCursor"), cursor(end - 1)},
                                      {QStringLiteral("hasNextPage"), backward ? true : end < items.size()},
                                      {QStringLiteral("hasPreviousPage"), backward ? begin > 0 : !after.isEmpty()}}}});
}

} // namespace

MetadataApi::MetadataApi(Workspace &workspace)
    : m_workspace(workspace)
{
}

HttpResponse MetadataApi::handle(const HttpRequest &request, const QString &path, const QString &now)
{
    const QStringList segments = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (!segments.isEmpty() && segments.size() <= 2) {
        if (segments.first() == QLatin1String("objects"))
            return objects(request, segments);
        if (segments.first() == QLatin1String("fields"))
            return fields(request, segments, now);
    }
    throw ApiError::notFound(QStringLiteral("Cannot %1 /rest/metadata%2").arg(QString::fromLatin1(request.method), path));
}

HttpResponse MetadataApi::objects(const HttpRequest &request, const QStringList &segments)
{
    if (request.method != "GET")
        throw ApiError::notImplemented(QStringLiteral("%1 /rest/metadata/objects").arg(QString::fromLatin1(request.method)));
    const QString createdAt = m_workspace.metadata().createdAt();
    if (segments.size() == 2) {
        const ObjectSchema *object = m_workspace.metadata().objectById(checkedId(segments.at(1)));
        if (!object)
            throw ApiError::notFound(QStringLiteral("Object metadata not found"));
        return envelope(200, QStringLiteral("object"), object->toJson(createdAt));
    }
    QList<QJsonObject> items;
    for (const ObjectSchema &object : m_workspace.metadata().objects())
        items.append(object.toJson(createdAt));
    return page(request, QStringLiteral("objects"), items);
}

HttpResponse MetadataApi::fields(const HttpRequest &request, const QStringList &segments, const QString &now)
{
    if (segments.size() == 1) {
        if (request.method == "POST")
            return createField(request, now);
        if (request.method != "GET")
            throw ApiError::notFound(QStringLiteral("Cannot %1 /rest/metadata/fields").arg(QString::fromLatin1(request.method)));
        QList<QJsonObject> items;
        for (const FieldDefinition &field : m_workspace.metadata().allFields())
            items.append(field.toJson());
        return page(request, QStringLiteral("fields"), items);
    }
    const QString id = checkedId(segments.at(1));
    if (request.method == "GET") {
        const FieldDefinition *field = m_workspace.metadata().fieldById(id);
        if (!field)
            throw ApiError::notFound(QStringLiteral("Field metadata not found"));
        return envelope(200, QStringLiteral("field"), field->toJson());
    }
    if (request.method == "PATCH" || request.method == "PUT")
        return updateField(request, id, now);
    if (request.method == "DELETE")
        return deleteField(id);
    throw ApiError::notFound(QStringLiteral("Cannot %1 /rest/metadata/fields/%2").arg(QString::fromLatin1(request.method), id));
}

HttpResponse MetadataApi::createField(const HttpRequest &request, const QString &now)
{
    const FieldDefinition field = m_workspace.metadata().prepareCreate(parseBody(request), now);
    const ObjectSchema *object = m_workspace.metadata().objectById(field.objectMetadataId);
    m_workspace.metadata().store(field);
    m_workspace.refreshUniqueKeys(object->nameSingular()); // new values are all null: nothing can collide
    return envelope(201, QStringLiteral("createOneField"), field.toJson());
}

HttpResponse MetadataApi::updateField(const HttpRequest &request, const QString &id, const QString &now)
{
    MetadataRegistry &metadata = m_workspace.metadata();
    const FieldDefinition updated = metadata.prepareUpdate(id, parseBody(request), now);
    const FieldDefinition before = *metadata.fieldById(id);
    const QString object = metadata.objectById(updated.objectMetadataId)->nameSingular();
    const Workspace::Snapshot snapshot = m_workspace.snapshot();
    metadata.store(updated);
    try {
        if (updated.name != before.name)
            m_workspace.store(object).renameField(before.name, updated.name);
        m_workspace.refreshUniqueKeys(object);
    } catch (const ApiError &) {
        metadata.store(before);
        m_workspace.restore(snapshot);
        throw;
    }
    return envelope(200, QStringLiteral("updateOneField"), updated.toJson());
}

HttpResponse MetadataApi::deleteField(const QString &id)
{
    const FieldDefinition removed = m_workspace.metadata().remove(id);
    const QString object = m_workspace.metadata().objectById(removed.objectMetadataId)->nameSingular();
    m_workspace.store(object).dropField(removed.name);
    m_workspace.refreshUniqueKeys(object);
    return envelope(200, QStringLiteral("deleteOneField"), removed.toJson());
}

} // namespace tf::emu
