'use strict';

// Three calls deep, as a real handler would be; computeTotal throws.
function computeTotal(cart) {
  if (cart.items.length === 0) {
    throw new Error(`Cart is empty: cannot compute total for ${cart.id}`);
  }
  return cart.items.reduce((sum, item) => sum + item.price, 0);
}

function validateCart(cart) {
  return computeTotal(cart);
}

function handleCheckout(request) {
  const cart = { id: request.cartId, items: [] };
  return validateCart(cart);
}

module.exports = { handleCheckout };
