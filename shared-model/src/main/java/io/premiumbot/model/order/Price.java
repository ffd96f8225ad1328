package io.premiumbot.model.order;

import java.time.Instant;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The USDT and Stars prices of one month count, set by the operator (the gift's cost in Stars is Telegram's). */
@Entity
@Table(name = "prices")
public class Price extends PanacheEntityBase {

    @Id
    public int months;

    @Column(name = "price_micros", nullable = false)
    public long priceMicros;

    /** What a customer is charged in Stars for the plan, before a promo code. */
    @Column(name = "star_price", nullable = false)
    public int starPrice;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
