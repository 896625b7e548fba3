// Shows every ordertrail-action the widgets send (a real shop would act on it
// and set the new order).
document.addEventListener('ordertrail-action', (event) => {
  const li = document.createElement('li');
  li.textContent = JSON.stringify(event.detail);
  document.querySelector('#events').append(li);
});
