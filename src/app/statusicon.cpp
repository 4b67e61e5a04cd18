#include "app/statusicon.h"

#include <QPainter>
#include <QPainterPath>

namespace tf {

namespace {

QColor colourOf(SyncStatus::State state)
{
    switch (state) {
    case SyncStatus::State::Idle:
        return QColor(0x2e, 0x9d, 0x4f);
    case SyncStatus::State::Syncing:
        return QColor(0x23, 0x74, 0xd0);
    case SyncStatus::State::Paused:
        return QColor(0x80, 0x86, 0x8e);
    case SyncStatus::State::Error:
        return QColor(0xd0, 0x33, 0x2b);
    }
    return Qt::black;
}

void drawArrowHead(QPainter &painter, QPointF tip, qreal angleDegrees, qreal length)
{
    QPainterPath head;
    head.moveTo(tip);
    QTransform turn;
    turn.translate(tip.x(), tip.y());
    turn.rotate(angleDegrees);
    head.lineTo(turn.map(QPointF(-length, -length * 0.6)));
    head.lineTo(turn.map(QPointF(-length, length * 0.6)));
    head.closeSubpath();
    painter.fillPath(head, painter.pen().color());
}

} // namespace

QPixmap StatusIcon::draw(SyncStatus::State state, int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    const qreal s = size;
    painter.setPen(Qt::NoPen);
    painter.setBrush(colourOf(state));
    painter.drawEllipse(QRectF(s * 0.04, s * 0.04, s * 0.92, s * 0.92));

    QPen glyph(Qt::white, std::max(1.5, s * 0.11), Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    painter.setPen(glyph);
    painter.setBrush(Qt::NoBrush);
    switch (state) {
    case SyncStatus::State::Idle: { // a check mark
        QPainterPath check;
        check.moveTo(s * 0.28, s * 0.52);
        check.lineTo(s * 0.44, s * 0.68);
        check.lineTo(s * 0.73, s * 0.35);
        painter.drawPath(check);
        break;
    }
    case SyncStatus::State::Syncing: { // two turning arrows
        const QRectF ring(s * 0.27, s * 0.27, s * 0.46, s * 0.46);
        painter.drawArc(ring, 30 * 16, 130 * 16);
        painter.drawArc(ring, 210 * 16, 130 * 16);
        drawArrowHead(painter, QPointF(s * 0.30, s * 0.38), 110, s * 0.12);
        drawArrowHead(painter, QPointF(s * 0.70, s * 0.62), -70, s * 0.12);
        break;
    }
    case SyncStatus::State::Paused: // two bars
        painter.drawLine(QPointF(s * 0.40, s * 0.30), QPointF(s * 0.40, s * 0.70));
        painter.drawLine(QPointF(s * 0.60, s * 0.30), QPointF(s * 0.60, s * 0.70));
        break;
    case SyncStatus::State::Error: // an exclamation mark
        painter.drawLine(QPointF(s * 0.5, s * 0.24), QPointF(s * 0.5, s * 0.58));
        painter.drawPoint(QPointF(s * 0.5, s * 0.76));
        break;
    }
    return pixmap;
}

QIcon StatusIcon::forState(SyncStatus::State state)
{
    QIcon icon;
    for (int size : {16, 22, 24, 32, 48, 64, 128})
        icon.addPixmap(draw(state, size));
    return icon;
}

QIcon StatusIcon::application()
{
    return forState(SyncStatus::State::Idle);
}

} // namespace tf
