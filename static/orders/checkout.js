// Checkout: the ward list follows the province without a reload. Without this script the
// "Show its wards" button sends the form back with the province's wards.
(function () {
  "use strict";
  var province = document.getElementById("id_province");
  var ward = document.getElementById("id_ward");
  var button = document.getElementById("show-wards");
  var source = document.getElementById("checkout-script");
  if (!province || !ward || !source) return;
  var words = JSON.parse(source.textContent);
  if (button) button.hidden = true;

  function fill(wards) {
    var placeholder = ward.options[0];
    var chosen = ward.value;
    placeholder.textContent = province.value ? words.choose_ward : words.choose_province;
    ward.replaceChildren(placeholder);
    wards.forEach(function (pair) {
      var option = document.createElement("option");
      option.value = pair[0];
      option.textContent = pair[1];
      if (pair[0] === chosen) option.selected = true;
      ward.appendChild(option);
    });
  }

  province.addEventListener("change", function () {
    var asked = province.value;
    if (!asked) { fill([]); return; }
    ward.setAttribute("aria-busy", "true");
    fetch(words.wards_url.replace("000", encodeURIComponent(asked)), {
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (body) { if (province.value === asked) fill(body.wards); })
      .catch(function () { if (button) button.hidden = false; })
      .finally(function () { ward.removeAttribute("aria-busy"); });
  });
})();
